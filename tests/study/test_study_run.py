"""Running the bundled studies on the demo data: outputs, reproducibility, manifest, CLI."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import surveykit as sk
from surveykit.cli import main
from surveykit.study import DEMO_DATA_DIRS, bundled_studies

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "data"
    sk.make_demo_study(root)
    return root


def _run(demo_data: Path, name: str, out: Path, **kwargs):
    study = sk.Study.load(bundled_studies()[name])
    return study.run(out, data_root=demo_data / DEMO_DATA_DIRS[name], **kwargs)


@pytest.fixture(scope="module")
def reputation(demo_data, tmp_path_factory):
    return _run(demo_data, "reputation_2026", tmp_path_factory.mktemp("rep"), outputs=("html",))


def test_two_runs_give_byte_identical_tables_and_appendices(demo_data, tmp_path):
    """The second run writes its outputs in forked processes: the same bytes."""
    first = _run(demo_data, "needs_assessment", tmp_path / "a")
    second = _run(demo_data, "needs_assessment", tmp_path / "b", processes=3)
    names = [f for f in first.files if f.name != "timings.json"]
    assert {"appendix.html", "appendix.docx", "appendix.xlsx", "manifest.json"} <= {
        f.name for f in names}
    for rel in names:
        assert (first.out / rel).read_bytes() == (second.out / rel).read_bytes(), rel
    t1 = json.loads((first.out / "timings.json").read_text())
    assert set(t1["stages"]) >= {"ingest", "weight", "estimate", "report"}


def test_manifest_records_versions_fingerprints_inputs_and_weighting(reputation, demo_data):
    manifest = json.loads((reputation.out / "manifest.json").read_text())
    assert manifest["surveykit_version"] == sk.__version__
    assert "timings" not in json.dumps(manifest["waves"])
    waves = {w["wave"]: w for w in manifest["waves"]}
    assert list(waves) == ["2024", "2026"]
    for wid, ref in (("2024", "reputation@1.0.0"), ("2026", "reputation@2.0.0")):
        name, version = ref.split("@")
        assert waves[wid]["instrument_fingerprint"] == sk.load_instrument(
            name, version=version).fingerprint
    demo = json.loads((demo_data / "demo_manifest.json").read_text())
    for w in waves.values():
        data = next(i for i in w["inputs"] if i["role"] == "data")
        assert demo["files"][f"reputation_2026/{data['path']}"]["sha256"] == data["sha256"]
        acc = w["accounting"]
        assert acc["read"] == acc["accepted"] + acc["excluded"]
        assert [s["method"] for s in w["weighting"]] == ["rake", "trim", "rake"]
        assert all(s["converged"] for s in w["weighting"])
        imputed = next(d for d in w["derived"] if d["name"] == "sex_binary")
        assert imputed["seed"] == 20260302 and imputed["imputed"] == imputed["missing"]
    roles = {i["role"] for i in manifest["study"]["inputs"]}
    assert roles == {"population", "dispositions"}
    for rel, digest in manifest["outputs"].items():
        assert len(digest) == 64 and (reputation.out / rel).is_file()


def test_weights_hit_the_population_margins(reputation):
    pop = pd.read_csv(bundled_studies()["reputation_2026"].parent.parent / "population"
                      / "hamarregionen_pop_20_40_2025_2026.csv")
    for wid, year in (("2024", 2025), ("2026", 2026)):
        design = reputation.designs[wid]
        total = pop.loc[pop["year_jan1"] == year, "pop_jan1_n"].sum()
        assert design.weights.sum() == pytest.approx(total, rel=1e-9)
        by_kn = design.weights.groupby(design.data["municipality"].astype(int),
                                       observed=True).sum()
        target = pop[pop["year_jan1"] == year].groupby("knr")["pop_jan1_n"].sum()
        assert by_kn.to_dict() == pytest.approx(target.to_dict(), rel=1e-8)


def test_comparison_finds_the_planted_shifts_and_lists_refusals(reputation, demo_data):
    cmp = reputation.comparisons["baseline_2026"].to_frame()
    effects = json.loads((demo_data / "reputation_2026" / "known_effects.json").read_text())
    shifted = {e["var"] for e in effects["expected_differences_2026_minus_2024"]}
    assert "pulse_trust" in shifted
    row = cmp[cmp["item"] == "pulse.trust"].iloc[0]
    assert row["difference"] > 0 and row["p_adjusted"] < 0.05
    refused = cmp[~cmp["comparable"].astype(bool)]
    assert {"new", "dropped", "not_comparable"} <= set(refused["status"])
    assert refused["note"].astype(str).str.len().min() > 0
    assert not {"municipality", "sex", "age"} & set(cmp["item"])  # weighting variables
    assert cmp.loc[cmp["item"] == "impression", "flags"].str.contains("trend_break").all()


def test_study_file_chooses_the_measure_per_item(reputation):
    """Education is ordered but categorical: the study file asks for shares, not a mean code."""
    cmp = reputation.comparisons["baseline_2026"].to_frame()
    edu = cmp[cmp["item"] == "education"]
    assert set(edu["measure"]) == {"proportion"}
    assert len(edu) == 5  # one row per level of the 2026 coding


def test_estimates_table_has_every_domain_and_no_free_text(reputation):
    est = pd.read_csv(reputation.out / "tables" / "estimates.csv")
    assert set(est["domain"]) == {"(all)", "municipality", "sex", "age_group"}
    assert "open_improve" not in set(est["variable"])
    assert {"pulse", "attributes"} <= set(est.loc[est["kind"] == "index", "variable"])
    html = (reputation.out / "appendix.html").read_text(encoding="utf-8")
    assert "AAPOR" in html and "Kish" in html


def test_meeting_places_runs_unweighted_with_participation(demo_data, tmp_path):
    result = _run(demo_data, "meeting_places", tmp_path, outputs=("html",))
    assert result.participation is not None
    assert result.manifest["waves"][0]["weighting"] == []
    html = (tmp_path / "appendix.html").read_text(encoding="utf-8")
    assert "300" in html
    acc = result.participation.accounting  # the organisers' check-in sheet and sign-up list
    assert acc.accepted == result.participation.value("attendances")
    assert set(acc.excluded_by) == {"no_show", "duplicate_within_event"}
    assert acc.flagged["malformed_identifier"] == 3
    assert result.participation.near_duplicates["person_id"].nunique() == 2
    email = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    phone = re.compile(r"(?<![\d.])(?:\+47|0047)? ?4000 ?\d ?\d ?\d ?\d(?![\d.])")
    for path in sorted(p for p in tmp_path.rglob("*") if p.suffix in {".html", ".csv", ".json"}):
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+|\b[0-9a-f]{32,}\b", "",
                      path.read_text(encoding="utf-8"))
        assert not email.search(text), f"e-mail-like text in {path.name}: {email.search(text)}"
        assert not phone.search(text), f"demo phone number in {path.name}: {phone.search(text)}"


def test_cli_run_exit_codes(demo_data, tmp_path, capsys):
    path = bundled_studies()["needs_assessment"]
    root = str(demo_data / DEMO_DATA_DIRS["needs_assessment"])
    assert main(["run", str(tmp_path / "missing.yaml"), "--out", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["exclusions"]["rules"] = []  # partial forms keep their 'required' errors
    spec["weighting"]["population"] = str(path.parent.parent / "population" /
                                          "hamarregionen_pop_20_40_2025_2026.csv")
    spec["allow_outside"] = True  # that table lies outside the copied study and its data
    strict = tmp_path / "study.yaml"
    strict.write_text(yaml.safe_dump(spec), encoding="utf-8")
    code = main(["run", str(strict), "--out", str(tmp_path / "o1"), "--data-root", root,
                 "--quiet", "--format", "html"])
    err = capsys.readouterr().err
    assert code == 1 and "validation error(s) remain" in err and "Traceback" not in err
    assert err.count("\n") == 1
    code = main(["run", str(strict), "--out", str(tmp_path / "o2"), "--data-root", root,
                 "--quiet", "--format", "html", "--on-errors", "continue"])
    err = capsys.readouterr().err  # rows kept with missing answers cannot be raked
    assert code == 2 and "missing values" in err and err.count("\n") == 1
    assert main(["run", str(path), "--out", str(tmp_path / "o3"), "--data-root", root,
                 "--quiet", "--format", "html", "--on-errors", "exclude"]) == 0
    assert "wrote" in capsys.readouterr().out


def test_cli_weight_and_usage_errors(demo_data, tmp_path, capsys):
    path = bundled_studies()["reputation_2026"]
    root = str(demo_data / "reputation_2026")
    out = tmp_path / "w.csv"
    assert main(["weight", "--study", str(path), "--wave", "2026", "--data-root", root,
                 "--out", str(out)]) == 0
    weights = pd.read_csv(out)
    assert list(weights.columns) == ["row", "respondent_id", "weight"]
    assert "Kish deff" in capsys.readouterr().out
    assert main(["weight", str(out)]) == 2
    assert "without --study" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 2
    for command in ("demo", "run", "weight"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0


def _tables(html: str) -> list[tuple[str, list[str]]]:
    """(caption, headers) of every table of an appendix HTML file."""
    import re
    from html import unescape

    out = []
    for t in re.findall(r"<table.*?</table>", html, re.S):
        cap = re.search(r"<caption>(.*?)</caption>", t, re.S)
        caption = unescape(re.sub(r"<.*?>", "", cap.group(1))).strip() if cap else ""
        heads = [unescape(re.sub(r"<.*?>", "", h)) for h in re.findall(r"<th[^>]*>(.*?)</th>",
                                                                       t, re.S)]
        out.append((re.sub(r"^(Tabell|Table) \d+\.\s*", "", caption), heads))
    return out


_RAW = {"read", "accepted", "excluded", "wave", "rule", "reason", "rows", "kish_deff",
        "effective_n", "weight_min", "moe_50_percentage_points", "name", "from", "missing",
        "imputed", "method", "by", "seed", "item_id", "is_missing", "achieved_now"}


def test_appendix_tables_have_captions_headers_labels_and_plain_identifiers(reputation):
    html = (reputation.out / "appendix.html").read_text(encoding="utf-8")
    tables = _tables(html)
    assert all(caption for caption, _ in tables)
    assert not _RAW & {h for _, heads in tables for h in heads}
    assert "20–24 × Mann" in html and "Aldersgruppe × Kjønn (for vekting)" in html
    assert "(&#x27;" not in html and "('" not in html
    assert "20260302" in html and "20\u00a0260\u00a0302" not in html
    assert "samme svarmønster som en tidligere rad" in html
    assert "the same answer vector" not in html
    assert "Kish designeffekt" in html and "Frø (seed)" in html


def test_english_report_has_english_headers_and_labels(demo_data, tmp_path):
    spec = yaml.safe_load(bundled_studies()["needs_assessment"].read_text(encoding="utf-8"))
    spec["report"]["language"] = "en"
    spec["report"]["outputs"] = ["html"]
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = sk.Study.load(path).run(tmp_path / "out",
                                     data_root=demo_data / DEMO_DATA_DIRS["needs_assessment"])
    html = (result.out / "appendix.html").read_text(encoding="utf-8")
    tables = _tables(html)
    assert all(caption for caption, _ in tables)
    heads = {h for _, hs in tables for h in hs}
    assert not _RAW & heads
    assert {"Read", "Accepted", "Excluded", "Kish design effect", "Seed"} <= heads
    assert "the same answer vector as an earlier row" in html
    assert "20–24 × Man" in html and "Age group × Sex (for weighting)" in html
    assert "Bølge" not in heads
