"""The result of a draw: the sample, its design, and what was drawn in each stratum."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveykit._display import frame_html
from surveykit.design import PPSMatrix, SurveyDesign

__all__ = ["Draw"]


@dataclass(frozen=True, eq=False)
class Draw:
    """A stratified sample drawn from a frame (see :func:`surveykit.plan.draw`).

    Attributes
    ----------
    method : {"srswor", "systematic", "poisson"}
        How each stratum was sampled.
    strata : str
        The frame's stratum column.
    seed : int
        The seed of the numpy generator; the same frame, allocation and seed give the same
        sample.
    strata_table : pandas.DataFrame
        One row per stratum (see :meth:`to_frame`).
    sort_by : tuple of str
        The systematic draw's sort keys (empty otherwise).
    identifiers : dict
        ``{column: "pseudonymised" | "dropped"}`` for every identifier column of the frame.
    unallocated : pandas.Series
        Frame strata the allocation leaves out, with their sizes: outside the draw.

    """

    method: str
    strata: str
    seed: int
    strata_table: pd.DataFrame = field(repr=False)
    sort_by: tuple[str, ...] = ()
    identifiers: dict[str, str] = field(default_factory=dict)
    unallocated: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"),
                                   repr=False)
    _sample: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _invitations: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def sample(self) -> pd.DataFrame:
        """The selected people (a copy), ready for fieldwork and analysis.

        The frame's columns with ``stratum``, ``inclusion_prob``, ``design_weight``
        (``N_h / n_h``) and ``stratum_size`` (``N_h``) added; identifiers pseudonymised or
        dropped; the index as in the frame.
        """
        return self._sample.copy()

    @property
    def invitations(self) -> pd.DataFrame | None:
        """The raw identifiers of the selected people for the invitation list (a copy).

        With the stratum and the sample's index; None unless ``keep_ids=True`` was asked.
        Keep it apart from the survey data and delete it after fieldwork.
        """
        return None if self._invitations is None else self._invitations.copy()

    @property
    def n(self) -> int:
        """Number of people drawn."""
        return len(self._sample)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per stratum: what was planned and what was drawn.

        Columns: population ``N``, planned ``n_planned``, drawn ``n``, ``inclusion_prob``,
        ``design_weight`` and, for a systematic draw, the ``interval`` and random ``start``.

        Examples
        --------
        >>> import pandas as pd
        >>> import surveykit as sk
        >>> frame = pd.DataFrame({"municipality": ["A"] * 6 + ["B"] * 4})
        >>> d = sk.plan.draw(frame, {"A": 3, "B": 2}, seed=1)
        >>> d.to_frame()[["stratum", "N", "n", "inclusion_prob", "design_weight"]]
          stratum  N  n  inclusion_prob  design_weight
        0       A  6  3             0.5            2.0
        1       B  4  2             0.5            2.0

        """
        return self.strata_table.copy()

    def summary(self) -> pd.DataFrame:
        """Return the draw in one line per fact: method, seed, population, planned and drawn n.

        A one-column DataFrame (``value``, indexed by fact), as every result's ``summary()``
        is (it used to be a Series; ``summary()["value"]`` is that Series).

        Examples
        --------
        >>> import pandas as pd
        >>> import surveykit as sk
        >>> frame = pd.DataFrame({"municipality": ["A"] * 60 + ["B"] * 40})
        >>> sk.plan.draw(frame, {"A": 6, "B": 4}, method="poisson", seed=7).summary()
        ... # doctest: +NORMALIZE_WHITESPACE
                     value
        fact
        method     poisson
        seed             7
        strata           2
        N              100
        n_planned       10
        n               11

        """
        table = self.strata_table
        facts = {"method": self.method, "seed": self.seed, "strata": len(table),
                 "N": int(table["N"].sum()), "n_planned": int(table["n_planned"].sum()),
                 "n": self.n}
        return pd.DataFrame({"value": list(facts.values())},
                            index=pd.Index(list(facts), name="fact"), dtype=object)

    def design(self, *, conditional: bool = False, lonely_psu: Any = "fail") -> SurveyDesign:
        """Return the sample's design, ready for estimation: strata, weights and fpc set.

        SRS and systematic draws: ``SurveyDesign(sample, weights="design_weight",
        strata="stratum", fpc="stratum_size")``, R's ``svydesign(ids=~1, strata=~stratum,
        fpc=~stratum_size)``; a systematic sample is analysed as a simple random one in its
        stratum (the usual approximation: no design-based variance exists for a single
        systematic sample, and it is conservative when the sort order is related to the
        outcome). Poisson draws: the Horvitz-Thompson design of independent selections, R's
        ``svydesign(ids=~1, strata=~stratum, probs=~inclusion_prob,
        pps=poisson_sampling(inclusion_prob))``, through a joint-probability matrix of
        ``n x n`` entries; or, with ``conditional=True``, the design given the realised
        stratum sizes (a Poisson sample of equal probabilities is, given its size, a simple
        random sample): weights ``N_h / (realised n_h)`` and the fpc, R's ``svydesign(ids=~1,
        strata=~stratum, fpc=~stratum_size)``. The conditional design removes the variance
        of the random sizes from the estimates and needs no ``n x n`` matrix.

        Parameters
        ----------
        conditional : bool, default False
            Poisson draws only: analyse given the realised stratum sizes (see above). A
            fixed-size draw's design is the same either way.
        lonely_psu : str, default "fail"
            Policy for a stratum with a single sampled person, as in
            :class:`~surveykit.SurveyDesign`.

        Examples
        --------
        >>> import pandas as pd
        >>> import surveykit as sk
        >>> frame = pd.DataFrame({"municipality": ["A"] * 6 + ["B"] * 4,
        ...                       "y": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]})
        >>> d = sk.plan.draw(frame, {"A": 3, "B": 2}, seed=4)
        >>> d.design().weights.tolist() == d.sample["design_weight"].tolist()
        True
        >>> sk.total(d.design(), "y").to_frame()[["estimate", "se", "df"]].round(4)
           estimate      se   df
        0      60.0  5.6569  3.0
        >>> p = sk.plan.draw(frame, {"A": 3, "B": 2}, method="poisson", seed=3)
        >>> p.to_frame()["n"].tolist(), p.design().weights.round(2).tolist()
        ([4, 3], [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0])
        >>> p.design(conditional=True).weights.round(2).tolist()
        [1.5, 1.5, 1.5, 1.5, 1.33, 1.33, 1.33]

        """
        if self.method == "poisson" and conditional:
            return SurveyDesign(self._sample, strata="stratum", fpc="stratum_size",
                                lonely_psu=lonely_psu)
        if self.method == "poisson":
            pi = self._sample["inclusion_prob"].to_numpy(dtype=float)
            joint = np.outer(pi, pi)
            np.fill_diagonal(joint, pi)
            return SurveyDesign(self._sample, probs="inclusion_prob", strata="stratum",
                                pps=PPSMatrix(joint), lonely_psu=lonely_psu)
        return SurveyDesign(self._sample, weights="design_weight", strata="stratum",
                            fpc="stratum_size", lonely_psu=lonely_psu)

    def _repr_html_(self) -> str:
        caption = (f"Draw: {self.method}, seed {self.seed}, {self.n} of "
                   f"{int(self.strata_table['N'].sum())} people")
        return frame_html(self.strata_table, caption, precision=4) + self._notes_html()

    def _notes_html(self) -> str:
        notes = [f"identifier {c!r} {a}" for c, a in self.identifiers.items()]
        if len(self.unallocated):
            notes.append(f"{len(self.unallocated)} frame stratum/strata not allocated "
                         f"({int(self.unallocated.sum())} people) are outside the draw")
        if self._invitations is not None:
            notes.append(f"invitation list with raw identifiers kept apart "
                         f"({len(self._invitations)} rows)")
        import html

        return "".join(f"<p>{html.escape(n)}</p>" for n in notes)

    def __repr__(self) -> str:
        ids = f", identifiers={self.identifiers!r}" if self.identifiers else ""
        return (f"Draw(method={self.method!r}, strata={self.strata!r}, seed={self.seed}, "
                f"n={self.n}, N={int(self.strata_table['N'].sum())}{ids})")
