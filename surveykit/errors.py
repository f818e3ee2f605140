"""Exceptions and warnings raised by surveykit.

The whole hierarchy, in one place::

    SurveykitError                 base of everything surveykit raises on purpose
    ├── ColumnError                a column or variable named in an argument is not in the
    │                              data (also a KeyError, with a "did you mean" hint)
    ├── ArgumentError              an argument's value is outside what is accepted (a
    │                              quantile outside [0, 1], a `by` with three groups, ...)
    ├── InstrumentError            an instrument or crosswalk file is invalid (file, key path, fix)
    │   └── ExpressionError        a `relevant`/`constraint` expression does not parse or
    │                              names an unknown variable
    ├── IngestionError             a response file cannot be read or mapped (file, row, column)
    ├── DesignError                a design cannot be built or used (e.g. lonely PSU under "fail")
    ├── EstimationError            an estimator's arguments do not fit the data (model family and
    │                              response, offsets, imputed results that do not line up)
    ├── WeightingError             weighting targets are impossible or inconsistent
    │   └── ConvergenceError       an iterative weighting step did not converge
    └── StudyError                 a study file is invalid or a study step failed

    SurveykitWarning (UserWarning) base of surveykit's statistical caveats
    ├── LonelyPSUWarning           a stratum has a single PSU; the lonely_psu policy was applied
    ├── SmallDomainWarning         a domain has too few observations for a stable estimate
    ├── ExtremeWeightWarning       weights are very unequal after a weighting step
    └── NonConvergenceWarning      allow_nonconvergence=True returned a non-converged result

Every ``SurveykitError`` that comes from bad user input also subclasses ``ValueError`` (a
missing column, ``ColumnError``, subclasses ``KeyError`` instead, as pandas), so code
written against the standard library (``except ValueError``) keeps working. Warnings can be
filtered by class, e.g. ``warnings.simplefilter("ignore", sk.LonelyPSUWarning)``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ArgumentError",
    "ColumnError",
    "ConvergenceError",
    "DesignError",
    "EstimationError",
    "ExpressionError",
    "ExtremeWeightWarning",
    "IngestionError",
    "InstrumentError",
    "LonelyPSUWarning",
    "NonConvergenceWarning",
    "SmallDomainWarning",
    "StudyError",
    "SurveykitError",
    "SurveykitWarning",
    "WeightingError",
]


class SurveykitError(Exception):
    """Base class of all errors raised deliberately by surveykit."""


class ColumnError(SurveykitError, KeyError):
    """A column or variable named in an argument is not in the data.

    Also a ``KeyError``, as pandas raises for a missing column, so ``except KeyError``
    keeps working; the message lists the names not found, the available columns and,
    where a name is close, "Did you mean ...?".

    Examples
    --------
    >>> str(ColumnError("'by' names columns that are not in the data: ['x']."))
    "'by' names columns that are not in the data: ['x']."

    """

    def __str__(self) -> str:
        """Return the message as given (``KeyError`` would quote it)."""
        return str(self.args[0]) if self.args else ""


class ArgumentError(SurveykitError, ValueError):
    """An argument's value is outside what the function accepts; the message says how to fix it."""


class InstrumentError(SurveykitError, ValueError):
    """An instrument or crosswalk definition is invalid.

    Parameters
    ----------
    message : str
        What is wrong, what was expected and how to fix it.
    problems : list of dict, optional
        Every problem found, each with ``file``, ``path`` (key path such as
        ``items[3].choices``), ``message`` and ``fix``.
    """

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ExpressionError(InstrumentError):
    """A skip-logic or constraint expression cannot be parsed or evaluated."""


class IngestionError(SurveykitError, ValueError):
    """A response file cannot be read, or its content cannot be mapped to the instrument.

    Parameters
    ----------
    message : str
        What is wrong (naming file, row and column where they apply) and what to do.
    report : object, optional
        The ``ValidationReport`` with every problem, when the error comes from validation.

    E-mail addresses, phone numbers and national ids quoted from the file are masked in the
    message (the file may hold personal data).

    Examples
    --------
    >>> str(IngestionError("row 3: 'kari@hamar.no' is not a number"))
    "row 3: '<e-mail>' is not a number"
    """

    def __init__(self, message: str, report: Any = None) -> None:
        from surveykit._masking import mask_identifiers

        super().__init__(mask_identifiers(message))
        self.report = report


class DesignError(SurveykitError, ValueError):
    """A survey design cannot be built, or cannot support the requested computation."""


class EstimationError(SurveykitError, ValueError):
    """An estimator's arguments do not fit the data (family, response, offset, imputations)."""


class WeightingError(SurveykitError, ValueError):
    """Weighting targets are impossible, inconsistent or do not match the sample."""


class ConvergenceError(WeightingError):
    """An iterative weighting method did not converge.

    Parameters
    ----------
    message : str
        What did not converge and what to try.
    iterations : int
        Iterations run.
    tolerance : float
        The misfit achieved at the last iteration.
    history : pandas.DataFrame, optional
        One row per iteration with the misfit per margin.
    misfit : dict, optional
        Achieved misfit per margin at the last iteration.
    """

    def __init__(
        self,
        message: str,
        *,
        iterations: int = 0,
        tolerance: float = float("nan"),
        history: Any = None,
        misfit: dict[str, float] | None = None,
    ) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.tolerance = tolerance
        self.history = history
        self.misfit = dict(misfit or {})


class StudyError(SurveykitError, ValueError):
    """A study file is invalid, or one of its steps failed.

    Parameters
    ----------
    message : str
        What is wrong (naming the study key, wave or file) and how to fix it.
    problems : list of dict, optional
        Every problem found in a study file, each with ``file``, ``path`` (key path such
        as ``waves[0].data``), ``message`` and ``fix`` (and ``got``, what was found).
    stage : str, optional
        The step that failed when it matters to the caller: ``"validate"`` means
        validation errors remained in the data (the command line exits 1, as for other
        findings, instead of 2).

    Examples
    --------
    >>> err = StudyError("1 problem(s) in the study file", problems=[
    ...     {"file": "study.yaml", "path": "id", "message": "missing", "fix": "add id:"}])
    >>> err.problems[0]["path"], err.stage
    ('id', None)

    """

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None, *,
                 stage: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])
        self.stage = stage


class SurveykitWarning(UserWarning):
    """Base class of surveykit's statistical caveats."""


class LonelyPSUWarning(SurveykitWarning):
    """A stratum has a single PSU; the design's ``lonely_psu`` policy was applied."""


class SmallDomainWarning(SurveykitWarning):
    """A domain has too few observations for a stable estimate."""


class ExtremeWeightWarning(SurveykitWarning):
    """Weights are very unequal after a weighting step."""


class NonConvergenceWarning(SurveykitWarning):
    """An iterative method did not converge and ``allow_nonconvergence=True`` was given."""
