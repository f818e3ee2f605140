"""Loading instruments: models, accessors, key-path errors, bundled discovery, the wheel."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.instruments import example_instrument_dict
from surveykit.instruments._jsonschema import json_schemas, schema_text
from surveykit.instruments._loader import bundled_root, source_root

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
REPO = Path(sk.__file__).resolve().parent.parent


def test_load_by_path_and_accessors() -> None:
    inst = sk.load_instrument(GOOD / "demo" / "1.0.0.yaml")
    assert (inst.id, inst.version, inst.status) == ("demo", "1.0.0", "released")
    assert inst.data_columns == [
        "age", "sex", "sat_region", "svc_housing", "svc_transport", "svc_leisure",
        "needs__housing_rent", "needs__housing_buy", "needs__jobs", "needs__other",
        "needs__none", "culture"]
    assert inst.item_keys[3:6] == ["services.housing_market", "services.transport",
                                   "services.leisure"]
    assert inst.variable("svc_leisure").key == "services.leisure"
    assert inst.variable("needs__none").option.exclusive is True
    assert inst.item("needs").min_selected == 1
    assert inst.variables_of("services")[0].var == "svc_housing"
    assert inst.choice_list("satisfaction5").missing[0].kind == "dont_know"
    assert inst.multi_options == {"needs": ("housing_rent", "housing_buy", "jobs", "other",
                                            "none")}
    assert inst.indices[0].scale == "pomp"
    assert len(inst.fingerprint) == 64 and set(inst.item_fingerprints) == {
        i.id for i in inst.items}


def test_instrument_is_frozen() -> None:
    inst = sk.load_instrument(GOOD / "demo" / "1.0.0.yaml")
    with pytest.raises(Exception, match="frozen"):
        inst.version = "9.9.9"  # type: ignore[misc]
    with pytest.raises(Exception, match="frozen"):
        inst.items[0].var = "x"  # type: ignore[misc]


def test_lookup_errors_suggest() -> None:
    inst = sk.load_instrument(GOOD / "demo" / "1.0.0.yaml")
    with pytest.raises(sk.InstrumentError, match="Did you mean 'sat_region'"):
        inst.variable("sat_regoin")
    with pytest.raises(sk.InstrumentError, match="no item id 'nees'"):
        inst.item("nees")


def test_load_by_name_picks_newest_released(tmp_path: Path) -> None:
    assert sk.load_instrument("demo", root=GOOD).version == "2.0.0"
    assert sk.load_instrument("demo", "1.0.0", root=GOOD).version == "1.0.0"
    with pytest.raises(sk.InstrumentError, match=r"no version '3\.0\.0'.*'1\.0\.0', '2\.0\.0'"):
        sk.load_instrument("demo", "3.0.0", root=GOOD)
    with pytest.raises(sk.InstrumentError, match="Did you mean 'demo'"):
        sk.load_instrument("dem", root=GOOD)
    draft = tmp_path / "demo" / "1.0.0.yaml"
    draft.parent.mkdir()
    draft.write_text((GOOD / "demo" / "1.0.0.yaml").read_text().replace(
        "status: released", "status: draft"))
    with pytest.raises(sk.InstrumentError, match=r"no released version \(1.0.0 \(draft\)\)"):
        sk.load_instrument("demo", root=tmp_path)


def test_errors_name_file_key_path_and_fix(tmp_path: Path) -> None:
    text = (GOOD / "demo" / "1.0.0.yaml").read_text()
    bad = tmp_path / "1.0.0.yaml"
    bad.write_text(text.replace("    choices: sex\n", "    choices: gender\n").replace(
        "relevant:", "relevent:"))
    with pytest.raises(sk.InstrumentError) as info:
        sk.load_instrument(bad)
    message = str(info.value)
    assert str(bad) in message and "items[5].relevent" in message
    assert "rename 'relevent' to 'relevant'" in message
    assert info.value.problems[0]["path"] == "items[5].relevent"
    assert set(info.value.problems[0]) == {"file", "path", "message", "fix"}


def test_semantic_errors_are_all_reported_at_once() -> None:
    data = example_instrument_dict()
    data["items"][3]["choices"] = "need"
    data["items"][0]["text"].pop("en")
    data["items"][1]["var"] = "age"
    with pytest.raises(sk.InstrumentError) as info:
        sk.Instrument.from_dict(data)
    paths = {p["path"] for p in info.value.problems}
    assert {"items[3].choices", "items[0].text", "items[1].var"} <= paths


def test_list_instruments_on_fixture_root() -> None:
    table = sk.list_instruments(root=GOOD)
    assert table[["name", "version", "status", "items"]].values.tolist() == [
        ["demo", "1.0.0", "released", 6], ["demo", "2.0.0", "released", 6]]
    assert table["fingerprint"].str.len().eq(64).all()
    assert table["title"].tolist() == ["Demo-undersøkelse"] * 2


def test_bundled_instruments_are_listed() -> None:
    names = sorted({p.parent.name for p in source_root().glob("*/*.*.*.yaml")})
    if not names:
        pytest.skip("no instrument files in the repository yet")
    table = sk.list_instruments()
    assert sorted(table["name"].unique()) == names
    for name in names:
        assert sk.load_instrument(name).status == "released"


def test_committed_json_schemas_are_current() -> None:
    folder = REPO / "instruments" / "schema"
    for name, schema in json_schemas().items():
        committed = (folder / name).read_text(encoding="utf-8")
        assert committed == schema_text(schema), (
            f"{name} is stale: run python -m surveykit.instruments._jsonschema "
            "instruments/schema")
        assert json.loads(committed)["additionalProperties"] is False


@pytest.mark.slow
def test_wheel_ships_instruments_and_loader_finds_them(tmp_path: Path) -> None:
    """Build the wheel as ``pip install .`` would and import surveykit from its contents."""
    yamls = sorted(p.relative_to(source_root()).as_posix()
                   for p in source_root().rglob("*.yaml"))
    if not yamls:
        pytest.skip("no instrument files in the repository yet")
    isolation = [] if importlib.util.find_spec("hatchling") is None else [
        "--no-build-isolation"]
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", *isolation,
                    "-q", "-w", str(tmp_path)], check=True)
    wheel = next(tmp_path.glob("surveykit-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for rel in yamls:
        assert f"surveykit/_bundled/instruments/{rel}" in names
    unpacked = tmp_path / "site" / "surveykit"
    assert bundled_root(unpacked).is_dir()
    code = ("import surveykit as sk, surveykit.instruments._loader as L;"
            "print(L.instruments_root()); print(len(sk.list_instruments()))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True,
                          capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""})
    root, count = proc.stdout.split()
    assert Path(root) == bundled_root(unpacked.resolve())
    assert int(count) == len([y for y in yamls if "/crosswalk/" not in y
                              and y.count("/") == 1 and not y.startswith("schema/")])
