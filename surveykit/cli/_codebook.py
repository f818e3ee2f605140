"""``surveykit codebook NAME|PATH|--all --out DIR``: list instruments and write codebooks."""

from __future__ import annotations

import argparse
from pathlib import Path

from surveykit.cli import COMMANDS
from surveykit.cli._diff import resolve_instrument
from surveykit.instruments import (
    Instrument,
    list_instruments,
    load_instrument,
    to_ddi,
    write_codebook,
    write_xlsform,
)

__all__ = ["register"]

_FORMATS = ("md", "html", "xlsx", "xlsform", "ddi")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``codebook`` subcommand."""
    parser = subparsers.add_parser(
        "codebook",
        help=COMMANDS["codebook"],
        description="Print the bundled instruments with their fingerprints and write "
        "codebooks (Markdown, HTML, XLSX) or exports (XLSForm, DDI-Codebook 2.5).",
    )
    parser.add_argument("instrument", nargs="?",
                        help="bundled name, name@version or a YAML file")
    parser.add_argument("--all", action="store_true", help="every bundled instrument version")
    parser.add_argument("--version", dest="inst_version", help="version of a named instrument")
    parser.add_argument("--language", help="language (default: every language)")
    parser.add_argument("--format", action="append", choices=_FORMATS,
                        help="output format, repeatable (default md)")
    parser.add_argument("--out", type=Path, default=Path("build/codebooks"),
                        help="output folder (default build/codebooks)")
    parser.set_defaults(func=_run)


def _targets(args: argparse.Namespace) -> list[Instrument]:
    if args.all == bool(args.instrument):
        raise ValueError("name one instrument or pass --all (not both).")
    if args.all:
        table = list_instruments()
        return [load_instrument(n, v) for n, v in zip(table["name"], table["version"],
                                                      strict=True)]
    return [resolve_instrument(args.instrument, args.inst_version)]


def _write(inst: Instrument, fmt: str, language: str, out: Path) -> Path:
    stem = out / f"{inst.id}-{inst.version}"
    if fmt == "xlsform":
        return write_xlsform(inst, stem.with_name(stem.name + ".xlsform.xlsx"))
    if fmt == "ddi":
        path = stem.with_name(stem.name + ".ddi.xml")
        to_ddi(inst, path)
        return path
    return write_codebook(inst, stem.with_name(f"{stem.name}.{language}.{fmt}"),
                          language=language, format=fmt)


def _run(args: argparse.Namespace) -> int:
    instruments = _targets(args)
    table = list_instruments()
    print(table[["name", "version", "status", "items", "fingerprint"]].to_string(index=False))
    written: list[Path] = []
    for inst in instruments:
        langs = [args.language] if args.language else list(inst.language_codes)
        for fmt in args.format or ["md"]:
            once = fmt in ("xlsform", "ddi")
            for lang in langs[:1] if once else langs:
                written.append(_write(inst, fmt, lang, args.out))
    print(f"wrote {len(written)} file(s) to {args.out}")
    return 0
