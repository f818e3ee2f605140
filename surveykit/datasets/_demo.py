"""The demo study: every wave of "Rom for flere unge voksne", written as platform exports."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from surveykit._writing import write_atomic
from surveykit._xlsx_plain import plain_workbook
from surveykit.datasets._exports import platform_extension, stamp_xlsx, write_platform_export
from surveykit.datasets._exports_sav import stamp_sav
from surveykit.datasets._fieldwork import AAPOR_CLASSES
from surveykit.datasets._files import data_file
from surveykit.datasets._generate import generate_responses
from surveykit.datasets._meeting import simulate_meeting_places
from surveykit.datasets._population import POPULATION_FILE, load_population
from surveykit.errors import ArgumentError
from surveykit.instruments import load_instrument

__all__ = [
    "DEMO_PARTS", "DEMO_SHIFTS", "DEMO_WAVES", "copy_population", "demo_frames",
    "make_demo_study", "write_demo_manifest", "write_demo_part",
]

#: Latent shifts of the 2026 reputation wave against the 2024 baseline (SD units).
DEMO_SHIFTS = {"pulse": 0.30, "attributes.meeting_places": 0.40}

#: (study directory, instrument, version, wave, platform, respondents, population year)
DEMO_WAVES = (
    ("reputation_2026", "reputation", "1.0.0", "2024", "questback", 1200, 2025),
    ("reputation_2026", "reputation", "2.0.0", "2026", "nettskjema", 1500, 2026),
    ("needs_assessment_2025", "needs_assessment", "1.0.0", "2025", "surveyxact", 400, 2025),
)
#: Meeting-place pilots: study directory, wave label, platform, participants in the register.
DEMO_MEETING = ("meeting_places", "pilot", "msforms", 300)
#: The demo's data folders, each written on its own by :func:`write_demo_part`, in manifest order.
DEMO_PARTS = ("reputation_2026", "needs_assessment_2025", "meeting_places")

# Web forms that keep no unfinished answers get no partial completes.
_NO_PARTIALS = {"nettskjema", "msforms", "kobo"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_yaml(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def _export(
    out: Path, study: str, inst: Any, frame: pd.DataFrame, wave: str, platform: str
) -> tuple[Path, dict[str, Any]]:
    path = out / study / "data" / f"{wave}-{platform}{platform_extension(platform)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    deployment = write_platform_export(frame, inst, path, platform, wave=wave)
    when = frame["end_time"].max().tz_convert("UTC").tz_localize(None).to_pydatetime()
    if path.suffix == ".sav":
        stamp_sav(path, when)
    elif path.suffix == ".xlsx":
        stamp_xlsx(path, when)
    _write_yaml(out / study / "deployments" / f"{wave}-{platform}.yaml", deployment)
    return path, deployment


def _wave_record(path: Path, out: Path, frame: pd.DataFrame, platform: str) -> dict[str, Any]:
    rec = frame.attrs["surveykit.synthetic"]
    return {
        "file": path.relative_to(out).as_posix(),
        "sha256": _sha256(path),
        "platform": platform,
        "instrument": rec["instrument"],
        "wave": rec["wave"],
        "seed": rec["seed"],
        "population_year": rec["population_year"],
        "respondents": rec["n_respondents"],
        "rows": rec["rows"],
        "dispositions": rec["dispositions"],
        "planted": {k: len(v) for k, v in rec["flags"].items()},
        "flags": rec["flags"],
        "duplicates": rec["duplicates"],
        "known_effects": rec["known_effects"],
    }


def make_demo_study(out_dir: os.PathLike[str] | str, *, seed: int = 20260301) -> dict[str, Any]:
    """Write the demo study's synthetic data as platform exports, with deployments.

    Writes, under ``out_dir``:

    - ``reputation_2026/data/2024-questback.sav`` (baseline, 1,200 respondents, instrument
      reputation 1.0.0, Questback EFS SPSS) and ``2026-nettskjema.csv`` (1,500, reputation
      2.0.0, Nettskjema CSV), with the 2026 wave shifted by :data:`DEMO_SHIFTS`;
    - ``needs_assessment_2025/data/2025-surveyxact.xlsx`` (400, SurveyXact workbook);
    - ``meeting_places/data/pilot-msforms.xlsx`` (feedback forms from the events of four
      concepts, Microsoft Forms workbook) plus ``events.csv`` and the organisers' exports
      ``signup.csv`` and ``checkin.xlsx`` (fake names, e-mails and phones; attendances are
      the check-in rows, sign-ups without check-in are no-shows);
    - ``<study>/deployments/<wave>-<platform>.yaml`` for every file;
    - ``population/`` with the margins (SSB 07459) and their source note;
    - ``<study>/dispositions.json`` (AAPOR counts per wave) and
      ``reputation_2026/known_effects.json``;
    - ``demo_manifest.json``: seed, per file the SHA-256, dispositions (AAPOR classes:
      complete I, partial P, refusal R, non_contact NC, other O, unknown_household UH,
      unknown_other UO, not_eligible NE), planted problems and the known effects (for the
      meeting places, ``participation.attendance_files.planted``).

    Parameters
    ----------
    out_dir : path-like
        Directory to write to (created if needed; existing demo files are overwritten).
    seed : int
        Master seed; every file is bit-for-bit reproducible from it.

    Returns
    -------
    dict
        The manifest (also written to ``demo_manifest.json``).

    Examples
    --------
    >>> import tempfile
    >>> from surveykit.datasets import make_demo_study
    >>> manifest = make_demo_study(tempfile.mkdtemp())
    >>> sorted(manifest["files"])[:2]
    ['meeting_places/data/pilot-msforms.xlsx', 'needs_assessment_2025/data/2025-surveyxact.xlsx']

    """
    out = Path(out_dir)
    copy_population(out)
    files: dict[str, Any] = {}
    for part in DEMO_PARTS:
        files.update(write_demo_part(out, part, seed=seed))
    return write_demo_manifest(out, files, seed=seed)


def write_demo_part(out_dir: os.PathLike[str] | str, part: str, *, seed: int = 20260301
                    ) -> dict[str, Any]:
    """Write one folder of :func:`make_demo_study`'s output; return its manifest records.

    Each folder's waves draw from their own seed of ``seed``, so a folder is the same bytes
    whether written alone or with the others (the demo writes them in parallel processes,
    each beside the study that reads it). ``population/`` (:func:`copy_population`) and
    ``demo_manifest.json`` (:func:`write_demo_manifest`) are not part of any folder.

    Parameters
    ----------
    out_dir : path-like
        The demo data directory.
    part : str
        One of :data:`DEMO_PARTS`.
    seed : int
        Master seed, as in :func:`make_demo_study`.

    Returns
    -------
    dict
        ``{file relative to out_dir: record}``, the part's entries of the manifest's ``files``.

    Examples
    --------
    >>> import tempfile
    >>> sorted(write_demo_part(tempfile.mkdtemp(), "needs_assessment_2025"))
    ['needs_assessment_2025/data/2025-surveyxact.xlsx']

    """
    if part not in DEMO_PARTS:
        raise ArgumentError(f"unknown demo data folder {part!r}; expected one of "
                            f"{', '.join(DEMO_PARTS)}.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = _part_seeds(seed)
    if part == DEMO_MEETING[0]:
        return _meeting_places(out, _meeting_frames(seeds[3]))
    files: dict[str, Any] = {}
    for index, (study, _name, _version, wave, platform, _n, _year) in enumerate(DEMO_WAVES):
        if study == part:
            inst, frame = _wave_frame(index, seeds[index])
            path, _ = _export(out, study, inst, frame, wave, platform)
            files[path.relative_to(out).as_posix()] = _wave_record(path, out, frame, platform)
    _write_study_notes(out, part, files, seed)
    return files


def write_demo_manifest(out_dir: os.PathLike[str] | str, files: dict[str, Any], *,
                        seed: int = 20260301) -> dict[str, Any]:
    """Write ``demo_manifest.json`` from the records of every part; return the manifest."""
    manifest = {
        "seed": seed,
        "shifts_2026": DEMO_SHIFTS,
        "files": {name: files[name] for name in sorted(files, key=_manifest_order)},
        "comparison_2024_2026": _comparison(files),
    }
    _write_json(Path(out_dir) / "demo_manifest.json", manifest)
    return manifest


def _manifest_order(name: str) -> int:
    return DEMO_PARTS.index(name.split("/", 1)[0])


def _write_json(path: Path, content: Any) -> None:
    text = json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


def _write_study_notes(out: Path, study: str, files: dict[str, Any], seed: int) -> None:
    """Write ``dispositions.json`` (AAPOR counts by wave) and the reputation known effects."""
    waves = {r["wave"]: r["dispositions"] for r in files.values() if r["dispositions"] is not None}
    _write_json(out / study / "dispositions.json", {"aapor_classes": AAPOR_CLASSES, "waves": waves})
    if study != "reputation_2026":
        return
    _write_json(
        out / "reputation_2026" / "known_effects.json",
        {
            "seed": seed,
            "shifts_latent_sd": DEMO_SHIFTS,
            "expected_differences_2026_minus_2024": _comparison(files),
            "note": "Population-level differences of item means (2.0.0 codes) implied by the "
            "latent shifts; all other items are unchanged by construction.",
        },
    )


def demo_frames(seed: int) -> tuple[list[tuple[Any, pd.DataFrame]], dict[str, Any]]:
    """Generate the demo study's canonical frames (what :func:`make_demo_study` writes).

    Returns ``[(instrument, frame)]`` in the order of :data:`DEMO_WAVES` and the meeting-place
    simulation (``instrument``, ``events``, ``register``, ``attendance``, ``feedback``).
    """
    seeds = _part_seeds(seed)
    waves = [_wave_frame(index, sub) for index, sub in enumerate(seeds[: len(DEMO_WAVES)])]
    return waves, _meeting_frames(seeds[3])


def _part_seeds(seed: int) -> list[int]:
    """One seed per wave of :data:`DEMO_WAVES` and one for the meeting places."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(4)]


def _wave_frame(index: int, seed: int) -> tuple[Any, pd.DataFrame]:
    _study, name, version, wave, platform, n, year = DEMO_WAVES[index]
    inst = load_instrument(name, version=version)
    frame = generate_responses(
        inst,
        n,
        seed=seed,
        wave=wave,
        year=year,
        shifts=DEMO_SHIFTS if wave == "2026" else None,
        quality={"partial": 0.0} if platform in _NO_PARTIALS else None,
    )
    return inst, frame


def _meeting_frames(seed: int) -> dict[str, Any]:
    inst = load_instrument("meeting_place_feedback")
    sim = simulate_meeting_places(inst, DEMO_MEETING[3], seed=seed,
                                  population=load_population(2026))
    return {"instrument": inst, **sim}


def _meeting_places(out: Path, sim: dict[str, Any]) -> dict[str, Any]:
    study, wave, platform, _n = DEMO_MEETING
    inst = sim["instrument"]
    base = out / study
    base.mkdir(parents=True, exist_ok=True)
    sim["events"].to_csv(base / "events.csv", index=False, lineterminator="\n")
    lists = _write_lists(base, sim)
    path, _ = _export(out, study, inst, sim["feedback"], wave, platform)
    rec = _wave_record(path, out, sim["feedback"], platform)
    rec["wave"] = wave
    rec["dispositions"] = None  # open link at events: no sampling frame, no response rate
    feedback_people = sim["feedback"].attrs["surveykit.synthetic"]["participants"]
    rec["participation"] = {
        "events": len(sim["events"]),
        "concepts": int(sim["events"]["concept"].nunique()),
        "participants": int(sim["attendance"]["participant_id"].nunique()),
        "attendances": len(sim["attendance"]),
        "repeat_participants": int((sim["attendance"].groupby("participant_id").size() > 1).sum()),
        "feedback_forms": len(sim["feedback"]),
        "feedback_participants": feedback_people,
        "attendance_files": {**lists, "planted": sim["planted"]},
    }
    return {path.relative_to(out).as_posix(): rec}


def _write_lists(base: Path, sim: dict[str, Any]) -> dict[str, Any]:
    """Write the sign-up export (CSV, ``;``) and the check-in sheet (XLSX), with digests.

    Attendances are the check-in rows; a sign-up row is the same attendance again (``Møtt:
    ja``, excluded by the reader as a duplicate within the event) or a no-show (``nei``).
    """
    signup, checkin = base / "signup.csv", base / "checkin.xlsx"
    sim["signup"].to_csv(signup, index=False, sep=";", lineterminator="\n")
    write_atomic(checkin, plain_workbook({"Innsjekk": sim["checkin"]}))
    last = pd.to_datetime(sim["checkin"]["Innsjekket tid"], format="%d.%m.%Y %H:%M").max()
    stamp_xlsx(checkin, last.to_pydatetime())
    return {p.name: {"sha256": _sha256(p), "rows": n}
            for p, n in ((signup, len(sim["signup"])), (checkin, len(sim["checkin"])))}


def copy_population(out_dir: os.PathLike[str] | str) -> None:
    """Write ``population/`` (the margins and their source note) under the demo data directory."""
    target = Path(out_dir) / "population"
    target.mkdir(parents=True, exist_ok=True)
    (target / POPULATION_FILE).write_bytes(data_file(POPULATION_FILE).read_bytes())
    (target / "SOURCES.md").write_bytes(data_file("SOURCES.md").read_bytes())


def _comparison(files: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the expected 2026-minus-2024 differences of the shifted items (2.0.0 coding)."""
    wave26 = next(r for r in files.values() if r["wave"] == "2026")
    return [
        {
            "item_id": e["item_id"],
            "var": e["var"],
            "latent_shift": e["latent_shift"],
            "expected_difference": e["difference"],
        }
        for e in wave26["known_effects"]
    ]
