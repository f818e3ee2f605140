"""Heavy third-party modules imported on first use, so that ``import surveykit`` stays fast.

``scipy.stats`` alone costs about half a second to import, ``openpyxl`` and ``pyreadstat``
a few tenths each; most sessions need only some of them. A module binds a stand-in at import
time and the real module is imported the first time one of its attributes is read::

    stats = lazy_module("scipy.stats")      # nothing imported yet
    stats.norm.ppf(0.975)                   # imports scipy.stats, then behaves as it

The stand-in is not placed in ``sys.modules``: until it is used, the module is really absent.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule:
    """Forwards attribute reads to a module imported on the first read."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            self._module = module
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not yet imported"
        return f"<lazy module {self._name!r} ({state})>"


def lazy_module(name: str) -> Any:
    """Return a stand-in for the module ``name`` that imports it on first attribute access.

    Parameters
    ----------
    name : str
        Absolute module name, e.g. ``"scipy.stats"``.

    Returns
    -------
    Any
        An object whose attributes are those of the module, imported when first read.

    Examples
    --------
    >>> from surveykit._lazy import lazy_module
    >>> math = lazy_module("math")
    >>> math.sqrt(16.0)
    4.0
    """
    return _LazyModule(name)
