"""One run of the bundled reputation study on the demo data, shared by the appendix tests."""

from __future__ import annotations

import pytest

import surveykit as sk
from surveykit.study import DEMO_DATA_DIRS, bundled_studies


@pytest.fixture(scope="session")
def reputation_appendix(tmp_path_factory):
    """The reputation study run with every output (HTML, DOCX, XLSX, CSV tables)."""
    root = tmp_path_factory.mktemp("demo") / "data"
    sk.make_demo_study(root)
    study = sk.Study.load(bundled_studies()["reputation_2026"])
    return study.run(tmp_path_factory.mktemp("rep"),
                     data_root=root / DEMO_DATA_DIRS["reputation_2026"])
