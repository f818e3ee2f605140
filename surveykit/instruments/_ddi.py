"""Export an instrument as DDI-Codebook 2.5 XML (study description and variable metadata).

One ``var`` per data column with ``labl`` and ``qstn/qstnLit`` per language (``xml:lang``),
``valrng`` for ``{min, max}`` constraints, ``catgry`` per code (``missing="Y"`` for missing
codes), ``concept`` and ``varFormat``. Multi-select items become ``varGrp
type="multipleResp"`` and grids ``varGrp type="grid"``. DDI-Codebook has no routing: the
``relevant`` expression is kept as a ``notes`` element, and the YAML and XLSForm should be
deposited alongside.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from surveykit._spreadsheet import xml_text
from surveykit._writing import write_atomic
from surveykit.instruments._instrument import Instrument, Variable
from surveykit.instruments._schema import LocalizedText, RangeConstraint

__all__ = ["DDI_NAMESPACE", "to_ddi"]

DDI_NAMESPACE = "ddi:codebook:2_5"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_URL = "http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{DDI_NAMESPACE}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _texts(parent: ET.Element, tag: str, text: LocalizedText, langs: tuple[str, ...]) -> None:
    for lang in langs:
        if lang in text:
            _el(parent, tag, text[lang], **{_XML_LANG: lang})


def _var_id(var: str) -> str:
    return f"V_{var}"


def _study(root: ET.Element, inst: Instrument) -> None:
    langs = inst.language_codes
    study = _el(root, "stdyDscr")
    citation = _el(study, "citation")
    titles = _el(citation, "titlStmt")
    _el(titles, "titl", inst.title.get(langs[0], inst.id), **{_XML_LANG: langs[0]})
    for lang in langs[1:]:
        if lang in inst.title:
            _el(titles, "parTitl", inst.title[lang], **{_XML_LANG: lang})
    _el(titles, "IDNo", inst.ref, agency="surveykit")
    version = _el(_el(citation, "verStmt"), "version", inst.version, type=inst.status)
    if inst.released is not None:
        version.set("date", inst.released.isoformat())
    _el(citation, "notes", f"sha256:{inst.fingerprint}", type="surveykit:fingerprint")
    summary = _el(_el(study, "stdyInfo"), "sumDscr")
    _texts(summary, "universe", inst.universe, langs)


def _var(parent: ET.Element, inst: Instrument, v: Variable) -> None:
    langs = inst.language_codes
    measure = v.measure
    attrs = {"ID": _var_id(v.var), "name": v.var}
    if measure:
        attrs["nature"] = measure
    node = _el(parent, "var", **attrs)
    label = v.option.label if v.option is not None else v.text
    _texts(node, "labl", label, langs)
    for lang in langs:
        stem = v.item.text.get(lang)
        if stem is None:
            continue
        qstn = _el(node, "qstn", **{_XML_LANG: lang})
        if v.row is not None:
            _el(qstn, "preQTxt", stem)
            _el(qstn, "qstnLit", v.row.text.get(lang, ""))
        else:
            _el(qstn, "qstnLit", stem)
    _valrng(node, v)
    _categories(node, v, langs)
    if v.item.concept:
        _el(node, "concept", v.item.concept)
    numeric = v.type in ("integer", "decimal") or v.option is not None or (
        v.choices is not None and v.choices.scale_range is not None)
    _el(node, "varFormat", type="numeric" if numeric else "character", schema="other")
    if v.item.relevant:
        _el(node, "notes", f"relevant: {v.item.relevant}")


def _valrng(node: ET.Element, v: Variable) -> None:
    c = v.item.constraint
    if isinstance(c, RangeConstraint) and (c.min is not None or c.max is not None):
        bounds = {k: str(x) for k, x in (("min", c.min), ("max", c.max)) if x is not None}
        _el(_el(node, "valrng"), "range", **bounds)


def _categories(node: ET.Element, v: Variable, langs: tuple[str, ...]) -> None:
    if v.option is not None:
        for value, word in (("1", "selected"), ("0", "not selected")):
            cat = _el(node, "catgry")
            _el(cat, "catValu", value)
            _el(cat, "labl", word, **{_XML_LANG: "en"})
        return
    if v.choices is None:
        return
    for opt in v.choices.options:
        cat = _el(node, "catgry")
        _el(cat, "catValu", str(opt.code))
        _texts(cat, "labl", opt.label, langs)
    for miss in v.choices.missing:
        cat = _el(node, "catgry", missing="Y")
        _el(cat, "catValu", str(miss.code))
        _texts(cat, "labl", miss.label, langs)
        _el(cat, "txt", miss.kind)


def _groups(data: ET.Element, inst: Instrument) -> None:
    for item in inst.items:
        if item.type not in ("multi", "grid"):
            continue
        ids = " ".join(_var_id(v.var) for v in inst.variables if v.item is item)
        kind = "multipleResp" if item.type == "multi" else "grid"
        group = _el(data, "varGrp", ID=f"G_{item.id}", type=kind, var=ids)
        _texts(group, "labl", item.text, inst.language_codes)
        if item.concept:
            _el(group, "concept", item.concept)


def to_ddi(instrument: Instrument, path: str | Path | None = None) -> str:
    """Return (and optionally write) the instrument as DDI-Codebook 2.5 XML.

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    path : str or Path, optional
        File to write (UTF-8).

    Returns
    -------
    str
        The XML document.

    Examples
    --------
    >>> import surveykit as sk
    >>> xml = to_ddi(sk.Instrument.from_dict(sk.instruments.example_instrument_dict()))
    >>> '<varGrp ID="G_needs" type="multipleResp"' in xml
    True

    """
    ET.register_namespace("", DDI_NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(f"{{{DDI_NAMESPACE}}}codeBook", {
        "version": "2.5", "ID": f"{instrument.id}-{instrument.version}",
        _XML_LANG: instrument.languages.source,
        f"{{{_XSI}}}schemaLocation": f"{DDI_NAMESPACE} {_SCHEMA_URL}",
    })
    _study(root, instrument)
    data = _el(root, "dataDscr")
    _groups(data, instrument)
    for v in instrument.variables:
        _var(data, instrument, v)
    ET.indent(root)
    xml = xml_text(ET.tostring(root, encoding="unicode", xml_declaration=True))
    if path is not None:
        write_atomic(path, xml + "\n")
    return xml
