"""``Responses``: typed data, its ValidationReport, the row accounting and the metadata."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import object_html
from surveykit._validate import check_option
from surveykit.ingestion._accounting import Accounting
from surveykit.ingestion._metadata import ResponseMetadata
from surveykit.ingestion._report import RULES, SEVERITIES, ValidationReport
from surveykit.ingestion._writers import write_dta, write_parquet, write_sav

__all__ = ["Responses", "flag_counts"]


def flag_counts(report: ValidationReport, rows: pd.Index) -> dict[str, int]:
    """Distinct rows of ``rows`` named by each rule of ``report``."""
    keep = rows.to_numpy(dtype=np.int64)
    return {rule: int(np.isin(found, keep).sum())
            for rule, found in report.rows_flagged().items()}


class Responses:
    """Survey responses read from one file: data, report, accounting and metadata.

    Build with :func:`surveykit.read_responses`. ``data`` is indexed by ``row``, the 1-based
    data row of the source file, which the report and the accounting also use.

    Attributes
    ----------
    data : pandas.DataFrame
        Typed data (see ``read_responses``). Treat as read-only; operations return new objects.
    report : ValidationReport
        Every problem found, one row each.
    accounting : Accounting
        ``read == accepted + excluded``, flags per rule and the exclusions.
    metadata : ResponseMetadata
        Labels, missing codes, measurement levels, free-text and identifier columns, source.

    """

    __slots__ = ("accounting", "data", "metadata", "report")

    def __init__(self, data: pd.DataFrame, report: ValidationReport, accounting: Accounting,
                 metadata: ResponseMetadata) -> None:
        self.data = data
        self.report = report
        self.accounting = accounting
        self.metadata = metadata

    def __repr__(self) -> str:
        a = self.accounting
        inst = (f" {self.metadata.instrument_id}@{self.metadata.instrument_version}"
                if self.metadata.instrument_id else "")
        return (f"<Responses{inst} from {self.metadata.file.path} ({self.metadata.source}): "
                f"read {a.read}, accepted {a.accepted}, excluded {a.excluded}; {self.report!r}>")

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("accounting", self.summary()))

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of :attr:`data` (one row per accepted response, indexed by ``row``)."""
        return self.data.copy()

    def summary(self) -> pd.DataFrame:
        """Return where the rows went (the accounting's table, which the display shows)."""
        return self.accounting.to_frame()

    def __len__(self) -> int:
        return len(self.data)

    def exclude(
        self, rules: str | Iterable[str] | None = None, *, rows: Iterable[int] | None = None,
        severity: str | None = None, reason: str | None = None,
    ) -> Responses:
        """Return new Responses without the rows named by ``rules``, ``severity`` or ``rows``.

        Parameters
        ----------
        rules : str or list of str, optional
            Report rules whose rows are excluded (e.g. ``["speeder", "out_of_universe"]``).
        rows : iterable of int, optional
            1-based data rows to exclude explicitly (recorded with rule ``"manual"``).
        severity : str, optional
            Exclude every row with a problem of this severity (e.g. ``"error"``).
        reason : str, optional
            Why; recorded in ``accounting.exclusions`` (default: the rule's description).

        Returns
        -------
        Responses
            With the rows removed, the report restricted to the remaining rows, and the
            accounting updated (``read == accepted + excluded`` still holds).

        """
        picked = self._pick(rules, rows, severity, reason)
        if picked.empty:
            return self
        gone = pd.Index(picked["row"].unique())
        keep = self.data.index.difference(gone, sort=False)
        data = self.data.loc[~self.data.index.isin(gone)]
        rep = self.report.to_frame()
        rep = rep[rep["row"].isna() | ~rep["row"].isin(gone)]
        report = ValidationReport(rep.reset_index(drop=True), self.report.source)
        a = self.accounting
        exclusions = pd.concat([a.exclusions, picked], ignore_index=True) \
            if len(a.exclusions) else picked.reset_index(drop=True)
        accounting = Accounting(read=a.read, accepted=len(data), excluded=a.excluded + len(gone),
                                flagged=flag_counts(report, keep), exclusions=exclusions)
        return Responses(data, report, accounting, self.metadata)

    def _pick(self, rules: Any, rows: Any, severity: str | None, reason: str | None
              ) -> pd.DataFrame:
        rep = self.report.to_frame().dropna(subset=["row"])
        parts = []
        if rules is not None:
            rules = [rules] if isinstance(rules, str) else list(rules)
            for r in rules:
                check_option("rules", r, tuple(RULES))
            hit = rep[rep["rule"].isin(rules)]
            parts.append(hit.assign(reason=reason or hit["rule"].map(lambda r: RULES[r][1])))
        if severity is not None:
            check_option("severity", severity, SEVERITIES)
            hit = rep[rep["severity"] == severity]
            parts.append(hit.assign(reason=reason or f"has a problem of severity {severity!r}"))
        if rows is not None:
            wanted = pd.Index(np.asarray(list(rows), dtype=np.int64))
            unknown = wanted.difference(self.data.index)
            if len(unknown):
                raise KeyError(f"'rows' names rows that are not in the data: "
                               f"{unknown.tolist()[:10]} (rows are 1-based data rows).")
            ids = self.data["respondent_id"].reindex(wanted) if "respondent_id" in self.data \
                else pd.Series(None, index=wanted)
            parts.append(pd.DataFrame({"row": wanted, "respondent_id": ids.to_numpy(),
                                       "rule": "manual",
                                       "reason": reason or "excluded by the analyst"}))
        if not parts:
            raise ValueError("exclude() needs 'rules', 'severity' or 'rows' (got none).")
        cols = ["row", "respondent_id", "rule", "reason"]
        picked = pd.concat([p[cols] for p in parts], ignore_index=True)
        picked = picked[picked["row"].isin(self.data.index)]
        picked = picked.drop_duplicates(["row", "rule"]).astype({"row": "int64"})
        return picked.sort_values(["row", "rule"]).reset_index(drop=True)

    def to_numeric(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """Return the data with choice codes as numbers and missing codes as NA.

        Categoricals of integer codes become ``Float64`` codes; categories that are labels
        (reading without an instrument) become their file codes.
        """
        cols = list(self.data.columns) if columns is None else list(columns)
        out = {}
        for col in cols:
            s = self.data[col]
            if isinstance(s.dtype, pd.CategoricalDtype):
                cmap = self.metadata.category_codes.get(col)
                vals = s.astype(object).map(cmap) if cmap else s.astype(object)
                num = pd.to_numeric(vals, errors="coerce").astype("Float64")
                miss = list(self.metadata.missing_codes.get(col, {}))
                out[col] = num.mask(num.isin(miss)) if miss else num
            else:
                out[col] = s
        return pd.DataFrame(out, index=self.data.index)

    def to_sav(self, path: str | os.PathLike[str], *, compress: bool | None = None) -> None:
        """Write SPSS ``.sav`` (``.zsav`` compressed) with labels, missing codes and measures."""
        write_sav(self.data, self.metadata, path, compress=compress)

    def to_dta(self, path: str | os.PathLike[str]) -> None:
        """Write Stata ``.dta`` with variable and value labels."""
        write_dta(self.data, self.metadata, path)

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write Parquet, keeping dtypes and labels (schema metadata)."""
        write_parquet(self.data, self.metadata, path)
