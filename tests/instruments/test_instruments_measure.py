"""The measurement level of an item: defaults, lint, codebook, and the fingerprint."""

from __future__ import annotations

import copy

import pytest
import yaml

import surveykit as sk
from surveykit.instruments import instruments_root


def _spec(name: str = "reputation", version: str = "1.0.0") -> dict:
    text = (instruments_root() / name / f"{version}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _item(d: dict, item_id: str) -> dict:
    return next(i for i in d["items"] if i["id"] == item_id)


def test_levels_follow_the_item_then_the_list_then_the_type():
    inst = sk.load_instrument("reputation", version="1.0.0")
    assert inst.variable("pulse_feeling").measure == "interval"      # item: agreement scale
    assert inst.variable("impression5").measure == "interval"
    assert inst.variable("education").measure == "ordinal"           # list: ordered codes
    assert inst.variable("stay_2y").measure == "ordinal"
    assert inst.variable("sex").measure == "nominal"
    assert inst.variable("recommend_live").measure == "ordinal"      # item: positions 1-11
    newer = sk.load_instrument("reputation", version="2.0.0")
    assert newer.variable("recommend_live").measure == "interval"    # list: 0-10
    assert inst.variable("age").measure == "interval"                # integer
    assert inst.variable("info_sources__local_news").measure == "nominal"
    assert inst.variable("open_improve").measure is None


def test_the_measure_is_left_out_of_the_fingerprint():
    """Annotating a released version keeps its recorded fingerprint (and its items')."""
    inst = sk.load_instrument("reputation", version="1.0.0")
    recorded = yaml.safe_load((instruments_root() / "fingerprints.yaml").read_text())
    assert inst.fingerprint == recorded["reputation"]["1.0.0"]
    plain = copy.deepcopy(_spec())
    for item in plain["items"]:
        item.pop("measure", None)
    bare = sk.Instrument.from_dict(plain)
    assert bare.fingerprint == inst.fingerprint
    assert bare.item("pulse").measure is None
    assert bare.item_fingerprints == inst.item_fingerprints
    assert bare.variable("pulse_feeling").measure == "ordinal"        # the list's level


@pytest.mark.parametrize(("item_id", "level", "needle"), [
    ("sex", "interval", "its list 'sex' is nominal"),
    ("info_sources", "ordinal", "counted, not ordered"),
    ("open_improve", "nominal", "a text item has no measurement level"),
])
def test_lint_refuses_a_level_the_answers_cannot_have(item_id, level, needle):
    d = _spec()
    d["status"] = "draft"
    _item(d, item_id)["measure"] = level
    with pytest.raises(sk.errors.InstrumentError, match=needle):
        sk.Instrument.from_dict(d)


def test_lint_refuses_interval_on_codes_that_are_not_numbers():
    d = _spec("needs_assessment")
    d["status"] = "draft"
    d["choice_lists"]["mp_types"]["measure"] = "ordinal"
    d["items"].append({"id": "favourite", "var": "favourite", "type": "single",
                       "choices": "mp_types", "measure": "interval",
                       "text": {"nb": "Favoritt?", "en": "Favourite?"}})
    with pytest.raises(sk.errors.InstrumentError, match="codes that are not numbers"):
        sk.Instrument.from_dict(d)


def test_codebook_states_the_level_of_every_variable():
    book = sk.instruments.codebook(sk.load_instrument("reputation", version="2.0.0"))
    level = book.drop_duplicates("var").set_index("var")["measure"]
    assert level["pulse_trust"] == "interval" and level["education5"] == "ordinal"
    assert level["age"] == "interval" and level["mp_visited"] == "ordinal"
