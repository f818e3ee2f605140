"""A reproducible stratified sample from a population frame (``sk.plan.draw``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from surveykit.planning._draw_ids import protect_sample
from surveykit.planning._draw_inputs import DrawInputs, check_draw_inputs, check_seed, read_frame
from surveykit.planning._draw_result import Draw
from surveykit.planning._selection import poisson_rows, srswor_rows, systematic_rows

__all__ = ["draw"]


def draw(
    frame: pd.DataFrame | str | os.PathLike[str],
    allocation: Mapping[Any, int] | pd.Series | Any,
    *,
    strata: str = "municipality",
    method: Literal["srswor", "systematic", "poisson"] = "srswor",
    sort_by: str | list[str] | None = None,
    seed: int,
    id_column: str | None = None,
    keep_ids: bool = False,
    key_file: str | os.PathLike[str] | None = None,
) -> Draw:
    """Draw a stratified sample from a population frame, reproducibly.

    Each stratum (municipality) ``h`` with ``N_h`` people in the frame gets its allocated
    ``n_h``: a simple random sample without replacement (``"srswor"``), a systematic sample
    of the frame sorted by ``sort_by`` (``"systematic"``: a random start and the fractional
    interval ``N_h / n_h``, exactly ``n_h`` people), or a Poisson sample (``"poisson"``:
    everyone independently with probability ``n_h / N_h``, so the size is random). The
    returned sample carries the stratum, the inclusion probability ``n_h / N_h``, the design
    weight ``N_h / n_h`` and the stratum size ``N_h``, so :meth:`Draw.design` builds the
    right :class:`~surveykit.SurveyDesign` (fpc included) without hand work.

    Parameters
    ----------
    frame : pandas.DataFrame or path
        The population: one row per person with the stratum column (and e.g. age and sex).
        A CSV, XLSX or Parquet file is read with the package's guarded readers (Parquet
        needs ``pyarrow``: ``pip install 'surveykit[parquet]'``); its cells are text, except
        the ``sort_by`` columns, which become numbers when they all are. Never modified.
    allocation : mapping, pandas.Series or Allocation
        ``{stratum: n}``, or the result of :func:`surveykit.plan.allocate`. Whole numbers,
        at least 0 and at most the stratum's size in the frame. Frame strata the allocation
        leaves out are outside the draw (listed in ``Draw.unallocated``).
    strata : str, default "municipality"
        The frame's stratum column; it must be filled in for everyone.
    method : {"srswor", "systematic", "poisson"}, default "srswor"
        Selection within each stratum.
    sort_by : str or list of str, optional
        Sort keys of a systematic draw (e.g. ``["age", "sex"]`` for an implicit
        stratification); the frame order breaks ties, missing values go last, and without
        keys the frame order is used as it is.
    seed : int
        Seed of the numpy random generator (PCG64). The same frame (rows in the same
        order), allocation, method and seed give the same sample.
    id_column : str, optional
        The column that identifies a person (e.g. a national id or register number).
        It and every column that looks like an identifier (names, addresses, birth dates,
        national ids, e-mail, phone, as at ingestion) reach the sample only as a keyed
        HMAC-SHA-256 pseudonym, the same as :func:`~surveykit.read_responses` writes under
        the configured key (``SURVEYKIT_PSEUDONYM_KEY`` or ``SURVEYKIT_PSEUDONYM_KEY_FILE``);
        without a key they are dropped from the sample.
    keep_ids : bool, default False
        Also return the raw identifiers of the selected people for the invitation list,
        as the separate :attr:`Draw.invitations` (same index as the sample). The sample
        itself never carries them.
    key_file : path, optional
        File holding the pseudonymisation key, instead of the environment variables.

    Returns
    -------
    Draw
        ``sample`` (a new frame), ``design()``, ``to_frame()`` per stratum, ``summary()``.

    Raises
    ------
    surveykit.ArgumentError
        A stratum has fewer people in the frame than its allocation (each such stratum is
        named with its shortfall); the allocation names a stratum that is not in the frame;
        the stratum is missing for some people; an allocation is negative or not whole; a
        method is unknown; ``sort_by`` is given for a method that does not sort.
    TypeError
        ``seed`` is not a non-negative integer.

    See Also
    --------
    Draw.design : the sample's design.

    Notes
    -----
    R: ``sampling::strata(frame, "municipality", size = n_h, method = "srswor")`` (or
    ``"systematic"``, ``"poisson"`` with equal ``pik``) draws the same kind of sample;
    the random streams of R and numpy differ, so the same seed does not give the same
    people. The systematic selection for a given start is ``sampling::UPsystematic``'s:
    the per-stratum starts are in ``to_frame()["start"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit as sk
    >>> frame = pd.DataFrame({
    ...     "municipality": ["Hamar"] * 30 + ["Løten"] * 10,
    ...     "age": list(range(20, 50)) + list(range(25, 35)),
    ...     "sex": ["female", "male"] * 20})
    >>> d = sk.plan.draw(frame, {"Hamar": 6, "Løten": 4}, seed=2026)
    >>> d
    Draw(method='srswor', strata='municipality', seed=2026, n=10, N=40)
    >>> d.sample[["municipality", "inclusion_prob", "design_weight"]].drop_duplicates()
       municipality  inclusion_prob  design_weight
    0         Hamar             0.2            5.0
    30        Løten             0.4            2.5
    >>> d.sample.equals(sk.plan.draw(frame, {"Hamar": 6, "Løten": 4}, seed=2026).sample)
    True
    >>> float(sk.total(d.design(), "age").estimate[0]) > 0
    True
    >>> sys = sk.plan.draw(frame, {"Hamar": 6, "Løten": 4}, method="systematic",
    ...                    sort_by="age", seed=1)
    >>> sys.to_frame()[["stratum", "N", "n", "interval"]]
      stratum   N  n  interval
    0   Hamar  30  6       5.0
    1   Løten  10  4       2.5

    """
    seed = check_seed(seed)
    sort_cols = [sort_by] if isinstance(sort_by, str) else list(sort_by or [])
    data = read_frame(frame, sort_cols)
    inputs = check_draw_inputs(data, allocation, strata, method, sort_by)
    rng = np.random.default_rng(seed)
    starts = None
    if method == "srswor":
        rows = srswor_rows(inputs.codes, inputs.sizes, rng)
    elif method == "poisson":
        rows = poisson_rows(inputs.codes, inputs.sizes / inputs.population, rng)
    else:
        starts = rng.random(len(inputs.labels))
        order = _sort_order(data, sort_cols)
        rows = np.sort(order[systematic_rows(inputs.codes[order], inputs.sizes, starts)])
    protected = protect_sample(data, rows, strata, id_column, keep_ids, key_file)
    sample = _with_design_columns(protected.sample, strata, inputs, rows)
    return Draw(method=method, strata=strata, seed=seed,
                strata_table=_strata_table(inputs, rows, starts),
                sort_by=tuple(sort_cols), identifiers=protected.actions,
                unallocated=inputs.unallocated, _sample=sample,
                _invitations=protected.invitations)


def _sort_order(data: pd.DataFrame, sort_cols: list[str]) -> np.ndarray:
    """Row positions in the order of ``sort_cols`` (stable: the frame order breaks ties)."""
    if not sort_cols:
        return np.arange(len(data))
    keyed = data[sort_cols].reset_index(drop=True)
    return keyed.sort_values(sort_cols, kind="mergesort", na_position="last").index.to_numpy()


def _with_design_columns(sample: pd.DataFrame, strata: str, inputs: DrawInputs,
                         rows: np.ndarray) -> pd.DataFrame:
    code = inputs.codes[rows]
    big = inputs.population[code]
    small = inputs.sizes[code]
    return sample.assign(stratum=sample[strata].to_numpy(), inclusion_prob=small / big,
                         design_weight=big / small, stratum_size=big)


def _strata_table(inputs: DrawInputs, rows: np.ndarray, starts: np.ndarray | None
                  ) -> pd.DataFrame:
    drawn = np.bincount(inputs.codes[rows], minlength=len(inputs.labels))
    big, small = inputs.population, inputs.sizes
    table = pd.DataFrame({
        "stratum": pd.Series(inputs.labels, dtype=object), "N": big, "n_planned": small,
        "n": drawn, "inclusion_prob": small / big,
        "design_weight": np.where(small > 0, big / np.maximum(small, 1), np.nan),
    })
    if starts is not None:
        table["interval"] = np.where(small > 0, big / np.maximum(small, 1), np.nan)
        table["start"] = starts
    return table
