"""surveykit: survey instruments, ingestion, weighting and design-based estimation.

The public API is curated in ``surveykit/_api.py`` and imported on first use: ``import
surveykit`` binds only the errors, the input limits and the version, and the first
``sk.<name>`` imports the rest (instruments, ingestion, design, estimation, weighting,
comparison, reporting, study), so that ``import surveykit`` and every command line call
start fast. Import from ``surveykit`` (``import surveykit as sk``) or from a subpackage,
never from a private module. See ``ARCHITECTURE.md`` for the layers.

Examples
--------
>>> import surveykit as sk
>>> sk.SurveyDesign.__name__, sk.SurveyDesign.__module__
('SurveyDesign', 'surveykit')
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from surveykit._limits import InputLimits as InputLimits
from surveykit._limits import get_input_limits as get_input_limits
from surveykit._limits import input_limits as input_limits
from surveykit._limits import set_input_limits as set_input_limits
from surveykit._version import __version__ as __version__
from surveykit.errors import ArgumentError as ArgumentError
from surveykit.errors import ColumnError as ColumnError
from surveykit.errors import ConvergenceError as ConvergenceError
from surveykit.errors import DesignError as DesignError
from surveykit.errors import EstimationError as EstimationError
from surveykit.errors import ExpressionError as ExpressionError
from surveykit.errors import ExtremeWeightWarning as ExtremeWeightWarning
from surveykit.errors import IngestionError as IngestionError
from surveykit.errors import InstrumentError as InstrumentError
from surveykit.errors import LonelyPSUWarning as LonelyPSUWarning
from surveykit.errors import NonConvergenceWarning as NonConvergenceWarning
from surveykit.errors import SmallDomainWarning as SmallDomainWarning
from surveykit.errors import StudyError as StudyError
from surveykit.errors import SurveykitError as SurveykitError
from surveykit.errors import SurveykitWarning as SurveykitWarning
from surveykit.errors import WeightingError as WeightingError

if TYPE_CHECKING:
    from surveykit._api import *  # noqa: F403
    from surveykit._api import __all__ as __all__

for _error in (ArgumentError, ColumnError, ConvergenceError, DesignError, EstimationError,
               ExpressionError, ExtremeWeightWarning, IngestionError, InputLimits,
               InstrumentError, LonelyPSUWarning, NonConvergenceWarning, SmallDomainWarning,
               StudyError, SurveykitError, SurveykitWarning, WeightingError):
    _error.__module__ = "surveykit"  # reprs read surveykit.StudyError, as the rest of the API
del _error


#: public functions named like the subpackage that holds them: ``sk.<name>`` is the function
_FUNCTIONS_NAMED_LIKE_PACKAGES = frozenset({"banner", "participation"})


class _Surveykit(ModuleType):
    """The package module: importing ``surveykit.banner`` does not hide ``sk.banner``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS_NAMED_LIKE_PACKAGES and isinstance(value, ModuleType):
            return  # the import system binds the subpackage; the API binds the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Surveykit


def _is_submodule(name: str) -> bool:
    """Whether ``surveykit.<name>`` is a module or subpackage of this package."""
    return importlib.util.find_spec(f"surveykit.{name}") is not None


def __getattr__(name: str) -> Any:
    """Import the public API on the first read of a name this module does not bind yet."""
    if name.startswith("__") and name != "__all__":
        raise AttributeError(f"module 'surveykit' has no attribute {name!r}")
    if name not in _FUNCTIONS_NAMED_LIKE_PACKAGES and _is_submodule(name):
        # ``from surveykit import planning`` inside a layer imports that layer alone; the
        # whole API here would import the layers above it while they are half-initialised
        return importlib.import_module(f"surveykit.{name}")
    api = importlib.import_module("surveykit._api")
    namespace = globals()
    namespace.update({key: getattr(api, key) for key in api.__all__})
    namespace["__all__"] = api.__all__
    if name in namespace:
        return namespace[name]
    raise AttributeError(f"module 'surveykit' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Return the public names and what is bound already."""
    return sorted(set(globals()) | set(importlib.import_module("surveykit._api").__all__))
