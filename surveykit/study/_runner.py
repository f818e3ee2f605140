"""``Study``: load a study file and run it end to end (one small function per stage)."""

from __future__ import annotations

import dataclasses
import os
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._display import object_html
from surveykit._validate import check_option
from surveykit.errors import ArgumentError, StudyError
from surveykit.study._banners import banner_table
from surveykit.study._derive import derive_variables
from surveykit.study._estimate import (
    Block,
    analysis_frame,
    blocks_frame,
    check_measures,
    count_jobs,
    estimate_wave,
    plan_items,
)
from surveykit.study._forks import start
from surveykit.study._ingest import (
    WaveData,
    accounting_record,
    exclude_rows,
    ingest_wave,
    sha256_file,
)
from surveykit.study._manifest import Timings, build_manifest, weighting_record, write_json
from surveykit.study._model import StudyFile, load_study_file
from surveykit.study._outputs import write_outputs
from surveykit.study._paths import check_inputs, manifest_path
from surveykit.study._progress import progress
from surveykit.study._publish import check_out_folder, output_lock, publish, staging_folder
from surveykit.study._stages import (
    compare_waves,
    index_columns,
    participation_result,
    wanted_indices,
)
from surveykit.study._weight import build_design, margins_for, weight_design

__all__ = ["Study", "StudyResult"]


@dataclass(frozen=True)
class StudyResult:
    """Everything a study run produced.

    Attributes
    ----------
    study : Study
        The study that ran.
    out : pathlib.Path
        The output directory.
    data_root : pathlib.Path
        The folder the study's data paths were resolved against.
    waves : dict
        ``{wave: WaveData}``: responses as read and after exclusion, with input digests.
    designs : dict
        ``{wave: design}``: the weighted designs.
    estimates : list of Block
        Every estimate table (wave, kind, key, domain, EstimateTable), in a fixed order.
    comparisons : dict
        ``{comparison id: ComparisonTable}``.
    participation : object or None
        The participation indicators (meeting-place studies).
    banners : BannerTable or None
        The banner tables of ``banners:`` (None without it).
    derivations : dict
        ``{wave: [record]}``: derived variables and imputations (with seeds).
    files : list of pathlib.Path
        The files written, relative to ``out``.
    manifest : dict
        The content of ``manifest.json``.
    """

    study: Study
    out: Path
    data_root: Path
    waves: dict[str, WaveData]
    designs: dict[str, Any]
    estimates: list[Block]
    comparisons: dict[str, Any] = field(default_factory=dict)
    participation: Any = None
    derivations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    banners: Any = None

    def to_frame(self) -> pd.DataFrame:
        """All estimates in one long frame (what ``tables/estimates.csv`` holds)."""
        return blocks_frame(self.estimates)

    def estimates_frame(self) -> pd.DataFrame:
        """Alias of :meth:`to_frame` (the name every result object shares)."""
        return self.to_frame()

    def summary(self) -> pd.DataFrame:
        """Return the files written (``file``, relative to ``out``), what the display shows."""
        return pd.DataFrame({"file": [p.as_posix() for p in self.files]})

    def _repr_html_(self) -> str:
        return object_html(repr(self), ("files", self.summary()))

    def __repr__(self) -> str:
        return (f"<StudyResult {self.study.spec.id}: waves {list(self.waves)}, "
                f"{len(self.estimates)} estimate tables, {len(self.comparisons)} comparisons, "
                f"{len(self.files)} files in {self.out}>")


class Study:
    """A study: its validated study file and where the file lives.

    Build with :meth:`Study.load`; :meth:`run` executes it.

    Examples
    --------
    >>> import surveykit as sk
    >>> study = sk.Study.load("analysis/reputation_2026/study.yaml")  # doctest: +SKIP
    >>> result = study.run(out="build/reputation_2026")                # doctest: +SKIP
    """

    def __init__(self, spec: StudyFile, path: Path | None = None) -> None:
        self.spec = spec
        self.path = path
        self.directory = path.parent if path is not None else Path.cwd()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Study:
        """Read and validate a study file (see :class:`surveykit.StudyFile`).

        Raises
        ------
        StudyError
            The file is missing, not YAML, or invalid (every problem, with key paths).
        """
        p = Path(path)
        return cls(load_study_file(p), p.resolve())

    def __repr__(self) -> str:
        return f"<Study {self.spec.id}: waves {[w.id for w in self.spec.waves]}>"

    def data_root(self, override: str | os.PathLike[str] | None = None) -> Path:
        """Return the folder the data paths are relative to (``override`` wins)."""
        if override is not None:
            return Path(override)
        return self.directory / self.spec.data_root

    def run(self, out: str | os.PathLike[str], *, data_root: str | os.PathLike[str] | None = None,
            on_errors: str | None = None, outputs: tuple[str, ...] | None = None,
            pdf: bool = False, show_progress: bool = False,
            allow_symlink_out: bool = False, allow_outside: bool = False,
            processes: int = 1) -> StudyResult:
        """Run the study: ingest, validate, exclude, weight, estimate, compare, banner, report.

        The outputs appear together: they are written to a staging folder inside ``out``
        and moved into place when the run has finished, ``manifest.json`` last. A run that
        fails or is killed leaves the previous outputs as they were; files of the previous
        run that this run does not write (a format no longer asked for) are removed. A
        second run into the same folder while one is running is refused.

        Parameters
        ----------
        out : path-like
            Output directory (created; the outputs of the previous run in it are replaced,
            other files are left alone).
        data_root : path-like, optional
            Folder the study file's data paths are relative to (default: the study file's
            ``data_root``, relative to the study file).
        on_errors : {"stop", "exclude", "continue"}, optional
            Overrides ``exclusions.on_errors`` for validation errors left after exclusion.
        outputs : tuple of {"html", "docx", "xlsx"}, optional
            Overrides ``report.outputs``.
        pdf : bool
            Also print the HTML appendix to PDF with headless Chromium.
        show_progress : bool
            Show progress bars on stderr.
        allow_symlink_out : bool
            Allow ``out`` to be a symbolic link to a folder elsewhere (refused by default).
        allow_outside : bool
            Read input paths that lead outside the data root and the study folder (refused
            unless the study file's ``allow_outside`` allows them).
        processes : int
            Processes working at once (default 1: one step after the other). With 2 or
            more, where the system forks, the comparisons and banner tables are computed
            while the estimates are, the tables and the banner workbook are written while
            the appendix is built, and the appendix formats are rendered side by side; the
            files are the same bytes.

        Returns
        -------
        StudyResult

        Raises
        ------
        StudyError
            A file is missing, validation errors remain (``on_errors="stop"``), a stage
            failed (the message names the wave, file and step), an input path leads outside
            the study, ``out`` is a symbolic link, or another run is writing to ``out``.
        """
        if on_errors is not None:
            check_option("on_errors", on_errors, ("stop", "exclude", "continue"))
        if processes < 1:
            raise ArgumentError(f"'processes' must be at least 1 (got {processes}); 1 writes "
                                "the outputs one after the other.")
        check_inputs(self.spec, self.data_root(data_root), self.directory,
                     allow_outside=allow_outside)
        target = Path(out)
        check_out_folder(target, allow_symlink=allow_symlink_out)
        target.mkdir(parents=True, exist_ok=True)
        with output_lock(target):
            stage = staging_folder(target)
            try:
                result = self._run(stage, data_root, on_errors, outputs, pdf, show_progress,
                                   processes)
                publish(stage, target, result.files)
            finally:
                shutil.rmtree(stage, ignore_errors=True)
        return dataclasses.replace(result, out=target)

    def _run(self, stage: Path, data_root: str | os.PathLike[str] | None,
             on_errors: str | None, outputs: tuple[str, ...] | None, pdf: bool,
             show_progress: bool, processes: int = 1) -> StudyResult:
        """Run every stage and write the outputs into ``stage``."""
        timings = Timings()
        root = self.data_root(data_root)
        waves = self._ingest(root, on_errors, timings, show_progress)
        prepared, derivations = self._prepare(waves, timings)
        designs = self._weight(prepared, root, timings)
        # comparisons and banner tables need the designs, not the estimates: with more than
        # one process they are computed in a forked child while this one estimates
        side = start(partial(_compare_and_banners, self.spec, designs, waves),
                     "the comparisons and banner tables", fork=processes > 1)
        try:
            estimates = self._estimate(designs, waves, timings, show_progress)
            comparisons, banners, seconds = side.result()
        except BaseException:
            side.cancel()
            raise
        timings.stages["compare"] = seconds["compare"]
        with timings.stage("participation"):
            part = participation_result(self.spec, root, waves)
        timings.stages["banners"] = seconds["banners"]
        result = StudyResult(self, stage, root, waves, designs, estimates, comparisons, part,
                             derivations, banners=banners)
        with timings.stage("report"):
            files = write_outputs(result, outputs or self.spec.report.outputs, pdf=pdf,
                                  show_progress=show_progress, processes=processes)
        manifest = self._manifest(result, root, files)
        write_json(stage / "manifest.json", manifest)
        timings.extra["weighting_steps"] = {
            w: [round(s.seconds, 4) for s in d.weighting_history] for w, d in designs.items()}
        write_json(stage / "timings.json", timings.to_dict())
        all_files = sorted([*files, Path("manifest.json"), Path("timings.json")])
        return StudyResult(self, stage, root, waves, designs, estimates, comparisons, part,
                           derivations, all_files, manifest, banners=banners)

    def weighted_design(self, wave: str, *, data_root: str | os.PathLike[str] | None = None,
                        data: str | os.PathLike[str] | None = None,
                        on_errors: str | None = None, allow_outside: bool = False) -> Any:
        """Read, exclude, derive and weight one wave; return its weighted design.

        ``data`` replaces the wave's data file (e.g. a new export with the same layout; it
        may lie anywhere). The study file's other input paths must stay inside the study
        unless ``allow_outside`` (see :meth:`run`). This is what ``surveykit weight
        --study`` runs.
        """
        spec = next((w for w in self.spec.waves if w.id == str(wave)), None)
        if spec is None:
            raise StudyError(f"'wave' must be one of {[w.id for w in self.spec.waves]} "
                             f"(got {wave!r}).")
        if data is not None:
            spec = spec.model_copy(update={"data": str(Path(data).resolve())})
        root = self.data_root(data_root)
        check_inputs(self.spec, root, self.directory, allow_outside=allow_outside)
        timings = Timings()
        index = self.spec.waves.index(next(w for w in self.spec.waves if w.id == spec.id))
        read = ingest_wave(spec, index, root, self.directory)
        kept = exclude_rows(read, self.spec.exclusions, on_errors or self.spec.exclusions.on_errors)
        prepared, _ = self._prepare({spec.id: kept}, timings)
        return self._weight(prepared, root, timings)[spec.id]

    # --- stages -------------------------------------------------------------------------
    def _ingest(self, root: Path, on_errors: str | None, timings: Timings,
                show: bool) -> dict[str, WaveData]:
        waves = {}
        rule = on_errors or self.spec.exclusions.on_errors
        with progress(len(self.spec.waves), f"{self.spec.id}: read", enabled=show) as bar:
            for i, w in enumerate(self.spec.waves):
                with timings.stage("ingest"):
                    wave = ingest_wave(w, i, root, self.directory)
                with timings.stage("exclude"):
                    waves[w.id] = exclude_rows(wave, self.spec.exclusions, rule)
                bar.update()
        return waves

    def _prepare(self, waves: dict[str, WaveData], timings: Timings
                 ) -> tuple[dict[str, tuple[WaveData, pd.DataFrame]], dict[str, list[Any]]]:
        out, records = {}, {}
        check_measures(self.spec.analysis, [w.instrument for w in waves.values()])
        with timings.stage("prepare"):
            for wid, wave in waves.items():
                plan = plan_items(wave.instrument, self.spec.analysis, wave.responses.data.columns)
                frame = analysis_frame(wave.responses, plan,
                                       self.spec.report.include_free_text)
                frame = index_columns(frame, wave, self.spec.analysis)
                frame, records[wid] = derive_variables(frame, self.spec.derive)
                out[wid] = (wave, frame)
        return out, records

    def _weight(self, prepared: dict[str, tuple[WaveData, pd.DataFrame]], root: Path,
                timings: Timings) -> dict[str, Any]:
        designs = {}
        with timings.stage("weight"):
            for wid, (wave, frame) in prepared.items():
                design: Any = build_design(frame, self.spec.design)
                if self.spec.weighting.method != "none":
                    margins = margins_for(self.spec.weighting, wave.spec.population_year, root)
                    try:
                        design = weight_design(design, self.spec.weighting, margins)
                    except StudyError as exc:
                        raise StudyError(f"wave {wid}: {exc}") from exc
                designs[wid] = design
        return designs

    def _estimate(self, designs: dict[str, Any], waves: dict[str, WaveData], timings: Timings,
                  show: bool) -> list[Block]:
        spec = self.spec.analysis
        plans = {w: plan_items(waves[w].instrument, spec, waves[w].responses.data.columns)
                 for w in designs}
        idx = {w: [i.id for i in wanted_indices(waves[w].instrument, spec)]
               for w in designs}
        total = sum(count_jobs(plans[w], idx[w], spec) for w in designs)
        blocks: list[Block] = []
        with timings.stage("estimate"), progress(total, f"{self.spec.id}: estimate",
                                                 enabled=show) as bar:
            for wid, design in designs.items():
                blocks += estimate_wave(design, wid, plans[wid], idx[wid], spec, bar.update)
        return blocks

    def _manifest(self, result: StudyResult, root: Path, files: list[Path]) -> dict[str, Any]:
        study: dict[str, Any] = {"id": self.spec.id,
                 "file": self.path.name if self.path else None,
                 "file_sha256": sha256_file(self.path) if self.path else None,
                 "seed": self.spec.seed, "pseudonym_key": _key_mode(result)}
        waves = []
        for wid, wave in result.waves.items():
            inputs = [{"role": role, "path": manifest_path(path.resolve(), root.resolve()),
                       "sha256": digest}
                      for role, (path, digest) in wave.inputs.items()]
            waves.append({
                "wave": wid, "instrument": wave.instrument.ref,
                "instrument_fingerprint": wave.instrument.fingerprint,
                "inputs": inputs, "accounting": accounting_record(wave),
                "derived": result.derivations.get(wid, []),
                "weighting": weighting_record(result.designs[wid]),
            })
        extra = _extra_inputs(self.spec, root)
        if extra:
            study["inputs"] = extra
        digests = {f.as_posix(): sha256_file(result.out / f) for f in files}
        return build_manifest(study, waves, digests)


def _key_mode(result: StudyResult) -> str:
    """How identifiers were pseudonymised (never the key).

    ``configured``: keyed pseudonyms under the configured key (reproducible by its holder);
    ``session``: a random key for this run only (participation registers without a key);
    ``none``: no key, identifier columns were dropped.
    """
    if result.participation is not None:
        return str(result.participation.key_mode)
    from surveykit.ingestion import load_pseudonym_key

    return "configured" if load_pseudonym_key() is not None else "none"


def _extra_inputs(spec: StudyFile, root: Path) -> list[dict[str, str]]:
    """Digests of the population table, dispositions and participation registers."""
    named = [("population", spec.weighting.population), ("dispositions", spec.dispositions)]
    p = spec.participation
    if p is not None:
        lists = (p.attendance,) if isinstance(p.attendance, str) else p.attendance
        named += [("events", p.events), *(("attendance", a) for a in lists),
                  ("participants", p.participants)]
    out = []
    for role, rel in named:
        if rel and (root / rel).is_file():
            out.append({"role": role, "path": manifest_path((root / rel).resolve(),
                                                             root.resolve()),
                        "sha256": sha256_file(root / rel)})
    return out


def _compare_and_banners(spec: Any, designs: dict[str, Any], waves: dict[str, Any]
                         ) -> tuple[dict[str, Any], Any, dict[str, float]]:
    """Run the compare and banner stages; return their results and seconds."""
    timings = Timings()
    with timings.stage("compare"):
        comparisons = compare_waves(spec, designs, waves)
    with timings.stage("banners"):
        banners = banner_table(spec, designs, waves)
    return comparisons, banners, timings.stages
