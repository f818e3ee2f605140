"""Row accounting: every row read is either accepted or excluded, and flags are counted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from surveykit._display import object_html
from surveykit._read_only import read_only, rebuilt

__all__ = ["Accounting"]

_EXCLUSION_COLUMNS = ["row", "respondent_id", "rule", "reason"]


@dataclass(frozen=True)
class Accounting:
    """Where every row of a response file went.

    ``read == accepted + excluded`` always holds (checked on construction). Flags never
    delete rows: ``flagged`` counts the distinct rows each rule names, among the accepted
    rows; ``exclusions`` lists the rows removed by ``Responses.exclude`` and why.

    Parameters
    ----------
    read : int
        Data rows in the file.
    accepted : int
        Rows in ``Responses.data``.
    excluded : int
        Rows removed by explicit exclusion steps.
    flagged : mapping of str to int
        Distinct accepted rows named by each rule of the report.
    exclusions : pandas.DataFrame
        One row per excluded row: ``row``, ``respondent_id``, ``rule``, ``reason``.

    Examples
    --------
    >>> a = Accounting(read=10, accepted=8, excluded=2, flagged={"speeder": 2})
    >>> a.read == a.accepted + a.excluded
    True
    >>> Accounting(read=10, accepted=9, excluded=2)
    Traceback (most recent call last):
    ...
    ValueError: Accounting does not add up: read (10) != accepted (9) + excluded (2).

    """

    read: int
    accepted: int
    excluded: int = 0
    flagged: Mapping[str, int] = field(default_factory=dict)
    exclusions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_EXCLUSION_COLUMNS), compare=False
    )

    def __post_init__(self) -> None:
        if self.read != self.accepted + self.excluded:
            raise ValueError(
                f"Accounting does not add up: read ({self.read}) != accepted "
                f"({self.accepted}) + excluded ({self.excluded})."
            )
        if len(self.exclusions) and self.exclusions["row"].nunique() != self.excluded:
            raise ValueError(
                f"Accounting lists {self.exclusions['row'].nunique()} excluded rows but "
                f"excluded is {self.excluded}."
            )
        object.__setattr__(self, "flagged", read_only(self.flagged))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return rebuilt(self)

    def _repr_html_(self) -> str:
        return object_html(f"Accounting: read {self.read}, accepted {self.accepted}, "
                           f"excluded {self.excluded}", ("rows", self.summary()))

    def __repr__(self) -> str:
        return (f"Accounting(read={self.read}, accepted={self.accepted}, "
                f"excluded={self.excluded}, flagged={dict(self.flagged)!r})")

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """One row per quantity: read, accepted, excluded, then ``flagged: <rule>``.

        Examples
        --------
        >>> Accounting(read=3, accepted=3, flagged={"partial": 1}).to_frame()["n"].tolist()
        [3, 3, 0, 1]

        """
        names = ["read", "accepted", "excluded"] + [f"flagged: {r}" for r in self.flagged]
        values = [self.read, self.accepted, self.excluded, *self.flagged.values()]
        return pd.DataFrame({"quantity": names, "n": values})
