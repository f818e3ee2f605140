"""The software list of the methods section names only what ran."""

from __future__ import annotations

import sys

import pingouin

import surveykit.reporting as rep


def test_software_versions_name_only_what_ran(monkeypatch) -> None:
    """A package that was not imported in this session is not in the software list."""
    monkeypatch.delitem(sys.modules, "statsmodels", raising=False)
    monkeypatch.setitem(sys.modules, "pingouin", pingouin)
    listed = rep.software_versions()
    assert "statsmodels" not in listed
    assert listed["pingouin"] == pingouin.__version__
    assert listed["Python"] and listed["numpy"]
