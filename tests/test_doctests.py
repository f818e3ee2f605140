"""Run every docstring example in the package, one test per module.

pytest's ``--doctest-modules`` relies on ``doctest.DocTestFinder``, which skips any object
whose ``__module__`` is not the module being searched. ``surveykit/__init__.py`` sets
``__module__ = "surveykit"`` on the names it exports, in one loop (so reprs read
``surveykit.SurveyDesign``), which would hide their examples. This finder asks where an
object was *defined* instead: a function by its globals, a class by the globals of its
methods.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from types import ModuleType

import matplotlib
import pytest

import surveykit

matplotlib.use("Agg")

_SKIP = {"surveykit.__main__"}


def _modules() -> list[str]:
    names = ["surveykit"]
    for info in pkgutil.walk_packages(surveykit.__path__, "surveykit."):
        if info.name not in _SKIP:
            names.append(info.name)
    return sorted(names)


def _defined_in(module: ModuleType, obj: object) -> bool:
    if inspect.isfunction(obj):
        return obj.__globals__ is module.__dict__
    if inspect.isclass(obj):
        funcs = [inspect.unwrap(v) for v in vars(obj).values() if inspect.isfunction(v)]
        props = [v.fget for v in vars(obj).values() if isinstance(v, property) and v.fget]
        owned = [f for f in funcs + props if inspect.isfunction(f)]
        if owned:
            return any(f.__globals__ is module.__dict__ for f in owned)
        return obj.__module__ == module.__name__
    return True


class _Finder(doctest.DocTestFinder):
    def _from_module(self, module: ModuleType, object: object) -> bool:
        return _defined_in(module, object)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str, tmp_path: pytest.TempPathFactory, monkeypatch) -> None:
    module = importlib.import_module(name)
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    finder = _Finder(exclude_empty=True)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    for test in finder.find(module, name, globs={**vars(module)}):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
