"""The README's tour runs as written (a newcomer copies it first)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).parents[1]


def test_readme_has_exactly_two_commands_on_its_first_screen() -> None:
    first = (ROOT / "README.md").read_text(encoding="utf-8").split("---")[0]
    block = re.findall(r"```bash\n(.*?)```", first, re.S)
    assert len(block) == 1
    commands = [line for line in block[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert "surveykit demo" in commands[0] and "pytest" in commands[1]


@pytest.mark.slow
def test_readme_tour_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert code, "README has no python tour"
    shutil.copytree(ROOT / "analysis", tmp_path / "analysis")
    monkeypatch.chdir(tmp_path)
    exec(compile(code[0], "README.md", "exec"), {})  # our own README
    assert (tmp_path / "build" / "reputation" / "appendix.html").is_file()
