"""``surveykit lint``: check instrument and crosswalk files, reporting every problem at once.

Per instrument file: YAML syntax and duplicate keys, the shape (pydantic), every consistency
rule of ``_checks.py``, the file's place (``<id>/<version>.yaml``) and, for released and
retired versions, that the fingerprint recorded in ``fingerprints.yaml`` still matches.
Per crosswalk file: its shape and its references into both versions. Per pair of
consecutive versions: every change that :func:`diff_instruments` detects has a crosswalk
entry, and no changed item is called ``identical``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pandas as pd
import yaml

from surveykit._display import object_html
from surveykit.instruments._crosswalk import CrosswalkSpec, check_crosswalk, parse_crosswalk_file
from surveykit.instruments._diff import SUBSTANTIVE_KINDS, InstrumentDiff, diff_instruments
from surveykit.instruments._instrument import Instrument
from surveykit.instruments._loader import instruments_root, parse_instrument_file
from surveykit.instruments._problems import Problem
from surveykit.instruments._schema import SEMVER_PATTERN

__all__ = ["FINGERPRINTS_FILE", "LintReport", "lint_instruments", "read_fingerprints"]

FINGERPRINTS_FILE = "fingerprints.yaml"
_SEMVER = re.compile(SEMVER_PATTERN)
_VERSION = r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
_XW_NAME = re.compile(f"^{_VERSION}__{_VERSION}$")


@dataclass(frozen=True)
class LintReport:
    """Result of :func:`lint_instruments`.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem (file, key path, message, fix).
    files : tuple of str
        Files checked.
    recorded : tuple of str
        ``id@version`` fingerprints newly recorded (with ``record=True``).

    """

    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    recorded: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: ``file, path, message, fix``."""
        return pd.DataFrame([p.to_dict() for p in self.problems],
                            columns=["file", "path", "message", "fix"])

    def summary(self) -> pd.DataFrame:
        """Return the table the display shows: the same frame as :meth:`to_frame`."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        return object_html(str(self).splitlines()[-1],
                           ("problems", self.summary() if self.problems else None))

    def __str__(self) -> str:
        lines = []
        for file in dict.fromkeys(p.file for p in self.problems):
            lines.append(file)
            for p in (q for q in self.problems if q.file == file):
                lines.append(f"  {p.path or '(file)'}: {p.message}")
                lines.append(f"      fix: {p.fix}")
        n, f = len(self.problems), len(self.files)
        lines.append(f"{n} problem{'s' if n != 1 else ''} in {f} file{'s' if f != 1 else ''}"
                     + (f"; recorded {', '.join(self.recorded)}" if self.recorded else ""))
        return "\n".join(lines)


@dataclass
class _Run:
    record: bool
    problems: list[Problem]
    files: list[str]
    recorded: list[str]
    instruments: dict[tuple[Path, str, str], Instrument]


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _collect(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    """Split the given files and folders into instrument and crosswalk files."""
    instruments: list[Path] = []
    crosswalks: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            (crosswalks if path.parent.name == "crosswalk" else instruments).append(path)
            continue
        if not path.is_dir():
            problems.append(Problem(str(path), "", "no such file or folder.", "check the path."))
            continue
        for file in sorted(path.rglob("*.y*ml")):
            rel = file.relative_to(path).parts
            if "schema" in rel[:-1] or file.name == FINGERPRINTS_FILE:
                continue
            if file.parent.name == "crosswalk":
                crosswalks.append(file)
            elif _SEMVER.match(file.stem):
                instruments.append(file)
            else:
                problems.append(Problem(_display(file), "", "the file name is not a version "
                                        "such as 1.0.0.yaml, so it is never loaded.",
                                        "rename it to <version>.yaml or move it elsewhere."))
    return instruments, crosswalks, problems


def read_fingerprints(root: Path) -> dict[str, dict[str, str]]:
    """Read the recorded fingerprints ``{id: {version: sha256}}`` of an instruments folder."""
    file = root / FINGERPRINTS_FILE
    if not file.is_file():
        return {}
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return {str(k): {str(v): str(h) for v, h in (d or {}).items()} for k, d in data.items()}


def _write_fingerprints(root: Path, table: dict[str, dict[str, str]]) -> None:
    header = ("# Fingerprints of released instrument versions, written by `surveykit lint "
              "--record`.\n# A released file is immutable: lint fails if its fingerprint "
              "no longer matches.\n")
    body = yaml.safe_dump(table, sort_keys=True, allow_unicode=True, default_flow_style=False)
    (root / FINGERPRINTS_FILE).write_text(header + body, encoding="utf-8")


def _check_place(inst: Instrument, path: Path, display: str) -> list[Problem]:
    out = []
    if _SEMVER.match(path.stem) and path.stem != inst.version:
        out.append(Problem(display, "version", f"the file is named {path.name} but says "
                           f"version {inst.version}.", f"rename the file to {inst.version}"
                           f"{path.suffix} or correct 'version'."))
    if path.parent.name != inst.id:
        out.append(Problem(display, "id", f"the file is in folder {path.parent.name!r} but "
                           f"says id {inst.id!r}.", f"move it to {inst.id}/ or correct 'id'."))
    return out


def _check_fingerprints(run: _Run, root: Path, found: list[tuple[Instrument, str]]) -> None:
    table = read_fingerprints(root)
    new: dict[str, dict[str, str]] = {}
    for inst, display in found:
        if inst.status == "draft":
            continue
        recorded = table.get(inst.id, {}).get(inst.version)
        if recorded is None and run.record:
            new.setdefault(inst.id, {})[inst.version] = inst.fingerprint
            run.recorded.append(inst.ref)
        elif recorded is None:
            run.problems.append(Problem(display, "status", f"{inst.status} version "
                                        f"{inst.ref} has no recorded fingerprint, so edits "
                                        "to it would go unnoticed.",
                                        "run `surveykit lint --record` once it is final."))
        elif recorded != inst.fingerprint:
            run.problems.append(Problem(display, "", f"{inst.status} version {inst.ref} has "
                                        f"changed: fingerprint {inst.fingerprint[:12]}... "
                                        f"differs from the recorded {recorded[:12]}... "
                                        "Released versions are immutable.",
                                        "undo the edit, or publish the change as a new "
                                        "version (and a crosswalk)."))
    if new:
        for key, versions in new.items():
            table.setdefault(key, {}).update(versions)
        _write_fingerprints(root, table)


def _coverage(diff: InstrumentDiff, spec: CrosswalkSpec, target: Instrument,
              display: str) -> list[Problem]:
    out = []
    sources = {e.from_ for e in spec.items.values()} | {d.from_ for d in spec.dropped}
    for key in diff.changed_keys:
        kinds = diff.kinds(key)
        details = "; ".join(c.detail for c in diff.changes if c.key == key)
        if key not in target.item_keys:
            if key not in sources:
                out.append(Problem(display, "dropped", f"{key!r} was removed ({details}) but "
                                   "the crosswalk does not list it.", f"add '- {{from: {key}, "
                                   "status: dropped, note: ...}' under dropped."))
            continue
        entry = spec.items.get(key)
        if entry is None:
            out.append(Problem(display, f"items.{key}", f"{key!r} changed "
                               f"({', '.join(sorted(kinds))}: {details}) but has no entry.",
                               f"add items.{key} with 'from' and a status."))
        elif entry.status == "identical" and kinds & SUBSTANTIVE_KINDS:
            out.append(Problem(display, f"items.{key}.status", f"{key!r} is called identical "
                               f"but changed ({details}).", "use recoded, transformed, "
                               "approximate or not_comparable (and describe the difference)."))
    return out


def _check_pairs(run: _Run, found: list[tuple[Instrument, str]],
                 specs: dict[Path, tuple[CrosswalkSpec, str]]) -> None:
    by_id: dict[tuple[Path, str], list[tuple[Instrument, str]]] = {}
    for inst, display in found:
        root = Path(inst.source or ".").resolve().parent.parent
        by_id.setdefault((root, inst.id), []).append((inst, display))
    for (root, name), versions in by_id.items():
        versions.sort(key=lambda v: v[0].version_info)
        for (old, _), (new, new_display) in pairwise(versions):
            diff = diff_instruments(old, new)
            xw_path = root / name / "crosswalk" / f"{old.version}__{new.version}.yaml"
            if xw_path in specs:
                spec, display = specs[xw_path]
                run.problems.extend(_coverage(diff, spec, new, display))
            elif not diff.is_empty and not xw_path.is_file():
                run.problems.append(Problem(new_display, "", f"{len(diff.changes)} item "
                                            f"change(s) since {old.ref} "
                                            f"({', '.join(diff.changed_keys[:5])}...) but no "
                                            "crosswalk.", f"write {name}/crosswalk/"
                                            f"{old.version}__{new.version}.yaml."))


def _instrument_for(run: _Run, root: Path, ref: str) -> Instrument | None:
    name, version = ref.split("@")
    if (root, name, version) not in run.instruments:
        path = root / name / f"{version}.yaml"
        inst, problems = parse_instrument_file(path, _display(path)) if path.is_file() else (
            None, [])
        if inst is None or problems:
            return None
        run.instruments[(root, name, version)] = inst
    return run.instruments[(root, name, version)]


def _lint_crosswalks(run: _Run, files: list[Path]) -> dict[Path, tuple[CrosswalkSpec, str]]:
    specs = {}
    for path in files:
        display = _display(path)
        run.files.append(display)
        if not _XW_NAME.match(path.stem):
            run.problems.append(Problem(display, "", "a crosswalk file must be named "
                                        "<from>__<to>.yaml.", "rename it, e.g. "
                                        "1.0.0__2.0.0.yaml."))
            continue
        spec, problems = parse_crosswalk_file(path, display)
        run.problems.extend(problems)
        if spec is None:
            continue
        root = path.resolve().parent.parent.parent
        pair = []
        for ref in (spec.from_, spec.to):
            inst = _instrument_for(run, root, ref)
            if inst is None:
                run.problems.append(Problem(display, "from" if ref == spec.from_ else "to",
                                            f"{ref} is not a valid instrument file here.",
                                            "fix or add that version first."))
            pair.append(inst)
        if pair[0] is not None and pair[1] is not None:
            run.problems.extend(check_crosswalk(spec, pair[0], pair[1], display))
            specs[path.resolve()] = (spec, display)
    return specs


def lint_instruments(
    paths: str | Path | Sequence[str | Path] | None = None, *, record: bool = False
) -> LintReport:
    """Check instrument and crosswalk files and report every problem at once.

    Parameters
    ----------
    paths : path or list of paths, optional
        Files or folders (searched recursively); default the bundled instruments.
    record : bool, default False
        Record the fingerprints of released versions that have none yet in the
        instruments folder's ``fingerprints.yaml`` (never overwrites an entry).

    Returns
    -------
    LintReport
        ``problems`` (file, key path, message, fix), ``ok``, ``to_frame()``.

    Examples
    --------
    >>> import surveykit as sk
    >>> sk.lint_instruments().ok
    True

    """
    if paths is None:
        paths = [instruments_root()]
    elif isinstance(paths, str | Path):
        paths = [paths]
    inst_files, xw_files, problems = _collect(Path(p) for p in paths)
    run = _Run(record, problems, [], [], {})
    found: list[tuple[Instrument, str]] = []
    for path in inst_files:
        display = _display(path)
        run.files.append(display)
        inst, more = parse_instrument_file(path, display)
        run.problems.extend(more)
        if inst is not None:
            run.problems.extend(_check_place(inst, path, display))
            found.append((inst, display))
            run.instruments[(path.resolve().parent.parent, inst.id, inst.version)] = inst
    roots = {Path(i.source or ".").resolve().parent.parent for i, _ in found}
    for root in sorted(roots):
        _check_fingerprints(run, root, [(i, d) for i, d in found
                                        if Path(i.source or ".").resolve().parent.parent == root])
    specs = _lint_crosswalks(run, xw_files)
    _check_pairs(run, found, specs)
    return LintReport(tuple(run.problems), tuple(run.files), tuple(run.recorded))

