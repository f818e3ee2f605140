"""``import surveykit`` loads no heavy optional module: they are imported on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from surveykit._lazy import lazy_module

HEAVY = ["matplotlib", "patsy", "docx", "openpyxl", "scipy.stats", "statsmodels", "pingouin",
         "pydantic", "yaml", "scipy", "pandas", "surveykit.instruments", "surveykit.study",
         "surveykit.reporting", "surveykit.estimation"]


def _loaded_after(code: str) -> dict[str, bool]:
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_surveykit_loads_no_heavy_module() -> None:
    loaded = _loaded_after("import surveykit")
    assert [name for name, present in loaded.items() if present] == []


def test_the_probe_sees_a_module_that_is_loaded() -> None:
    loaded = _loaded_after("import surveykit; import surveykit.estimation._ciprop as r; "
                           "r.stats.beta")
    assert loaded["scipy.stats"] is True
    assert loaded["matplotlib"] is False


def test_the_first_public_name_imports_the_api_with_tidy_reprs() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, surveykit as sk\n"
         "before = 'surveykit.design' in sys.modules\n"
         "print(before, sk.SurveyDesign.__module__, sk.StudyError.__module__,\n"
         "      sk.report.__name__, 'mean' in dir(sk), 'surveykit.study' in sys.modules)\n"],
        capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "surveykit", "surveykit", "surveykit.reporting",
                                   "True", "True"]


def test_the_command_line_imports_only_the_command_it_runs() -> None:
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from surveykit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'demo' in out.getvalue() and 'weight' in out.getvalue()")
    assert [name for name, present in loaded.items() if present] == []


@pytest.mark.parametrize("code", [
    "from surveykit.study._model import load_study_file",
    "from surveykit import planning; planning.n_for_change",
    "import surveykit.banner._banner",
])
def test_a_layer_imported_first_imports_without_the_whole_api(code: str) -> None:
    # a layer that does `from surveykit import <subpackage>` must not pull the API (and with
    # it the half-initialised layer itself) through the package's lazy __getattr__
    done = subprocess.run([sys.executable, "-c", f"{code}; print('ok')"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_functions_named_like_their_package_stay_functions() -> None:
    done = subprocess.run(
        [sys.executable, "-c",
         "import surveykit as sk\n"
         "import surveykit.participation, surveykit.banner\n"
         "print(callable(sk.participation), callable(sk.banner))\n"],
        capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]


def test_star_import_and_unknown_names() -> None:
    namespace: dict[str, object] = {}
    exec("from surveykit import *", namespace)
    assert callable(namespace["mean"]) and "SurveyDesign" in namespace
    import surveykit

    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        surveykit.no_such_name  # noqa: B018
    with pytest.raises(AttributeError):
        surveykit.__wrapped__  # noqa: B018


def test_lazy_module_imports_on_first_attribute_read() -> None:
    module = lazy_module("json")
    assert "not yet imported" in repr(module)
    assert module.dumps([1]) == "[1]"
    assert "(imported)" in repr(module)


def test_lazy_module_of_a_missing_module_fails_when_used() -> None:
    module = lazy_module("surveykit_no_such_module")
    with pytest.raises(ModuleNotFoundError):
        module.anything  # noqa: B018
