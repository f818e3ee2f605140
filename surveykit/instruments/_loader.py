"""Find and load instrument files: ``instruments/<name>/<semver>.yaml``.

Where the files are: a wheel ships the repository's top-level ``instruments/`` folder as
``surveykit/_bundled/instruments`` (hatch ``force-include``); a source checkout or editable
install has it next to the package, at ``<repo>/instruments``. :func:`instruments_root`
returns the first of the two that exists.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from surveykit._yaml import YamlError, load_yaml
from surveykit.errors import InstrumentError
from surveykit.instruments._checks import check_instrument
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._problems import Problem, problems_from_validation, raise_problems
from surveykit.instruments._schema import SEMVER_PATTERN

__all__ = [
    "bundled_root",
    "instrument_from_dict",
    "instrument_versions",
    "instruments_root",
    "list_instruments",
    "load_instrument",
    "parse_instrument_file",
    "read_yaml",
    "source_root",
]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SEMVER_FILE = re.compile(SEMVER_PATTERN[:-1] + r"\.ya?ml$")


def bundled_root(package_dir: Path | None = None) -> Path:
    """Where a wheel puts the instruments: ``<package>/_bundled/instruments``."""
    return (package_dir or _PACKAGE_DIR) / "_bundled" / "instruments"


def source_root(package_dir: Path | None = None) -> Path:
    """Where a source checkout keeps them: ``<repo>/instruments`` beside the package."""
    return (package_dir or _PACKAGE_DIR).parent / "instruments"


def instruments_root(package_dir: Path | None = None) -> Path:
    """Return the folder of bundled instruments (installed wheel first, then source checkout).

    Raises
    ------
    InstrumentError
        If neither location exists.

    """
    for candidate in (bundled_root(package_dir), source_root(package_dir)):
        if candidate.is_dir():
            return candidate
    raise InstrumentError(
        f"no instruments folder found (looked in {bundled_root(package_dir)} and "
        f"{source_root(package_dir)}). Reinstall surveykit, or pass root=<folder>."
    )


# ------------------------------------------------------------------------------ YAML


def read_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Read a YAML file; return its content and problems (syntax, limits, duplicate keys)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, "", f"cannot read the file: {exc}.",
                              "check the path and that the file is UTF-8 text.")]
    try:
        doc = load_yaml(raw)
    except YamlError as exc:
        where = f" (line {exc.line})" if exc.line and "line" not in exc.message else ""
        fix = ("fix the indentation or quoting there: quote text that contains ': ' or, "
               "inside {...} or [...], a '?', ',' or '#'." if "syntax" in exc.message else
               "save the file as plain UTF-8 YAML without deep nesting or aliases that "
               "multiply (*ref), and quote values that are text.")
        return None, [Problem(display, exc.path, f"{exc.message}{where}.", fix)]
    problems = [Problem(display, "", f"key {key!r} appears twice in one mapping (line {line}); "
                        "YAML keeps only the last.", "remove or rename one of them.")
                for key, line in doc.duplicates]
    return doc.data, problems


def _validate(data: Any, display: str) -> tuple[Instrument | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem(display, "", f"the file must be a mapping of keys (schema, id, "
                              f"version, ...), found {type(data).__name__}.",
                              "start from an existing instrument file.")]
    try:
        inst = Instrument.model_validate(data)
    except ValidationError as exc:
        return None, problems_from_validation(exc, data, display, Instrument)
    return inst, check_instrument(inst, display)


def instrument_from_dict(data: dict[str, Any], source: str = "<dict>") -> Instrument:
    """Validate a dict as an instrument; raise one error listing every problem."""
    inst, problems = _validate(data, source)
    raise_problems(source, problems)
    assert inst is not None
    inst._source = source
    return inst


def parse_instrument_file(
    path: Path, display: str | None = None
) -> tuple[Instrument | None, list[Problem]]:
    """Load ``path`` and return ``(instrument or None, every problem found)``."""
    display = display or str(path)
    data, problems = read_yaml(path, display)
    if data is None and problems:
        return None, problems
    inst, more = _validate(data, display)
    if inst is not None:
        inst._source = str(path)
    return inst, problems + more


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, _mtime: int, _size: int) -> Instrument:
    inst, problems = parse_instrument_file(Path(path))
    raise_problems(path, problems)
    assert inst is not None
    return inst


def _load_file(path: Path) -> Instrument:
    if not path.is_file():
        raise InstrumentError(f"instrument file {path} does not exist.")
    stat = path.stat()
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


# -------------------------------------------------------------------- bundled look-up


def instrument_versions(name: str, root: Path | None = None) -> list[tuple[str, Path]]:
    """``(version, path)`` of every file of instrument ``name``, oldest first."""
    folder = (root or instruments_root()) / name
    found = [(p.name.rsplit(".", 1)[0], p) for p in folder.glob("*.y*ml")
             if _SEMVER_FILE.match(p.name)]
    return sorted(found, key=lambda vp: tuple(int(x) for x in vp[0].split(".")))


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and instrument_versions(p.name,
                                                                                        root))


def _looks_like_path(value: str | Path) -> bool:
    text = str(value)
    if isinstance(value, Path):
        return True
    return text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text


def _status_of(path: Path) -> str:
    data, _ = read_yaml(path, str(path))
    return str(data.get("status")) if isinstance(data, dict) else "?"


def _pick_version(name: str, version: str | None, root: Path) -> Path:
    versions = instrument_versions(name, root)
    if not versions:
        close = difflib.get_close_matches(name, _names(root), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InstrumentError(f"no instrument {name!r} in {root}; available: "
                              f"{_names(root)}.{hint}")
    if version is not None:
        for v, path in versions:
            if v == version:
                return path
        raise InstrumentError(f"instrument {name!r} has no version {version!r}; available: "
                              f"{[v for v, _ in versions]}.")
    released = [(v, p) for v, p in versions if _status_of(p) == "released"]
    if not released:
        listed = ", ".join(f"{v} ({_status_of(p)})" for v, p in versions)
        raise InstrumentError(f"instrument {name!r} has no released version ({listed}). "
                              f"Pass version='{versions[-1][0]}' to load a draft.")
    return released[-1][1]


def load_instrument(
    name_or_path: str | Path, version: str | None = None, *, root: str | Path | None = None
) -> Instrument:
    """Load an instrument version.

    Parameters
    ----------
    name_or_path : str or Path
        A bundled instrument's name (e.g. ``"reputation"``) or the path of a YAML file.
    version : str, optional
        Version of a bundled instrument; default the newest *released* version.
    root : str or Path, optional
        Folder of instruments to use instead of the bundled ones.

    Returns
    -------
    Instrument
        Validated and immutable. Loading the same unchanged file again returns the same
        object (files are cached by path, modification time and size).

    Raises
    ------
    InstrumentError
        Naming the file and listing every problem (key path, what was expected, fix).

    Examples
    --------
    >>> import surveykit as sk
    >>> names = sk.list_instruments()["name"].unique().tolist()
    >>> inst = sk.load_instrument(names[0])
    >>> inst.status
    'released'

    """
    if _looks_like_path(name_or_path):
        if version is not None:
            raise ValueError("'version' is only used with an instrument name, not a path "
                             f"(got {name_or_path!r} and version={version!r}).")
        return _load_file(Path(name_or_path))
    folder = Path(root) if root is not None else instruments_root()
    return _load_file(_pick_version(str(name_or_path), version, folder))


def list_instruments(*, root: str | Path | None = None) -> pd.DataFrame:
    """List every instrument version with its status and fingerprint.

    Parameters
    ----------
    root : str or Path, optional
        Folder of instruments; default the bundled ones.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, version, status, title, items, released, path, fingerprint``; one
        row per version, sorted by name and version. ``title`` is in the source language.
        ``fingerprint`` comes last so that a printed table always shows it.

    Examples
    --------
    >>> import surveykit as sk
    >>> sk.list_instruments().columns.tolist()
    ['name', 'version', 'status', 'title', 'items', 'released', 'path', 'fingerprint']

    """
    folder = Path(root) if root is not None else instruments_root()
    rows = []
    for name in _names(folder):
        for version, path in instrument_versions(name, folder):
            inst = _load_file(path)
            rows.append({
                "name": name, "version": version, "status": inst.status,
                "title": inst.title.get(inst.languages.source, ""), "items": len(inst.items),
                "fingerprint": inst.fingerprint,
                "released": inst.released.isoformat() if inst.released else None,
                "path": path.relative_to(folder).as_posix(),
            })
    columns = ["name", "version", "status", "title", "items", "released", "path", "fingerprint"]
    return pd.DataFrame(rows, columns=columns)
