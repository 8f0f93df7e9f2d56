"""Offline scoring workbook: build, edit like an assessor would, parse back.

Pure Python (openpyxl, no Django): runs with ``-p no:django --noconftest``.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR, iter_subcriteria, load_framework
from mreza.assessment.workbook import WorkbookError, build_workbook, parse_workbook
from mreza.assessment.workbook import common as wbk

LABELS = {
    "sheet": "Scores",
    "instructions_sheet": "Instructions",
    "instructions": ["Fill in one row per subcriterion.", "Upload the file when you are done."],
    "code": "Code",
    "criterion": "Criterion",
    "subcriterion": "Subcriterion",
    "score": "Score",
    "dont_know": "Don't know",
    "dont_know_value": "don't know",
    "strengths": "Strengths",
    "improvements": "Areas for improvement",
    "ideas": "Improvement ideas",
    "evidence": "Evidence (links)",
    "scale": "Scale",
    "yes": "yes",
}
TEXT_KEYS = ("strengths", "improvements", "ideas", "evidence")
# Column letters of the Scores sheet.
CLASSIC = {"score": "D", "dont_know": "E", "strengths": "F", "evidence": "I"}
FINE = {
    "plan": "D",
    "do": "E",
    "check": "F",
    "act": "G",
    "trends": "H",
    "targets": "I",
    "dont_know": "J",
    "strengths": "K",
    "evidence": "N",
}
SHEET = "Scores"


# --------------------------------------------------------------------------- fixtures


def en(text):
    return text["en"] if isinstance(text, dict) else text


def resolve_bands(bands):
    return [
        {"range": b["range"], "meaning": en(b["meaning"]), "label": en(b.get("label", ""))}
        for b in bands
    ]


def resolve_panel(panel):
    out = {k: panel[k] for k in ("code", "kind", "method", "min", "max", "step")}
    out["name"] = en(panel["name"])
    out["allow_no_score"] = panel.get("allow_no_score", False)
    if "bands" in panel:
        out["bands"] = resolve_bands(panel["bands"])
    if "dimensions" in panel:
        out["dimensions"] = [
            {
                "code": d["code"],
                "name": en(d["name"]),
                **({"bands": resolve_bands(d["bands"])} if "bands" in d else {}),
            }
            for d in panel["dimensions"]
        ]
    return out


def framework_rows(filename, method):
    data = load_framework(FRAMEWORKS_DIR / filename)
    return [
        {
            "code": sub["code"],
            "criterion": en(crit["title"]),
            "title": en(sub["title"]),
            "panel": resolve_panel(panels[method]),
            "existing": {},
        }
        for crit, sub, panels in iter_subcriteria(data)
    ]


_ROWS = {
    "classic": framework_rows("caf2020.yaml", "classic"),
    "fine_tuned": framework_rows("caf2020.yaml", "fine_tuned"),
    "maturity": framework_rows("eloge2023.yaml", "maturity"),
}


def rows_for(method):
    return copy.deepcopy(_ROWS[method])


def meta_for(method, **overrides):
    framework, version = ("eloge2023", "2023.1") if method == "maturity" else ("caf2020", "2020.1")
    meta = {
        "assessment": "17",
        "framework": framework,
        "framework_version": version,
        "method": method,
        "assessor": "42",
        "signature": "c2lnbmF0dXJl.abc123",
    }
    meta.update(overrides)
    return meta


def spec_for(method, rows=None):
    return {"meta": meta_for(method), "labels": dict(LABELS), "rows": rows or rows_for(method)}


def row_of(rows, code):
    return 2 + [r["code"] for r in rows].index(code)


def edit(content, change, sheet=SHEET):
    """Simulate an assessor: open the workbook, change cells, save."""
    wb = load_workbook(io.BytesIO(content))
    change(wb[sheet] if sheet else wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(content, meta, rows):
    with pytest.raises(WorkbookError) as info:
        parse_workbook(content, meta, rows)
    found = info.value.problems
    assert found
    for p in found:  # every template renders with its params
        assert p.message % p.params == p.render()
    return found


def where(found):
    return [(p.sheet, p.cell) for p in found]


def only(found, message):
    assert [p.message for p in found] == [message], [p.render() for p in found]
    return found[0]


@pytest.fixture
def classic():
    rows = rows_for("classic")
    return build_workbook(spec_for("classic", rows)), meta_for("classic"), rows


@pytest.fixture
def fine():
    rows = rows_for("fine_tuned")
    return build_workbook(spec_for("fine_tuned", rows)), meta_for("fine_tuned"), rows


# --------------------------------------------------------------------------- round trips


def test_round_trip_classic_28_rows():
    rows = rows_for("classic")
    assert len(rows) == 28
    for i, row in enumerate(rows):
        row["existing"] = {
            "score": (i * 7) % 101 if i % 5 else None,
            "dont_know": i % 5 == 1,
            "strengths": f"  Strength {i}\nsecond line  ",
            "improvements": "Ćevapi – ђ",
            "ideas": "=SUM(A1:A2)" if i == 3 else "",
            "evidence": "https://example.org/x",
        }
    rows[1]["existing"]["score"] = None  # dont_know rows carry no score
    result = parse_workbook(build_workbook(spec_for("classic", rows)), meta_for("classic"), rows)
    assert [r["code"] for r in result] == [r["code"] for r in rows]
    for row, got in zip(rows, result, strict=True):
        ex = row["existing"]
        assert got["score"] == (None if ex["dont_know"] else ex["score"])
        assert got["dont_know"] is ex["dont_know"]
        assert got["dimensions"] == {}
        assert got["strengths"] == ex["strengths"].strip()
        assert got["improvements"] == "Ćevapi – ђ"
        assert got["evidence"] == "https://example.org/x"
    assert result[3]["ideas"] == "=SUM(A1:A2)"  # text stays text, never a formula


def test_round_trip_fine_tuned():
    rows = rows_for("fine_tuned")
    for i, row in enumerate(rows):
        dims = [d["code"] for d in row["panel"]["dimensions"]]
        row["existing"] = {
            "dimensions": {d: (i * 11 + j * 13) % 101 for j, d in enumerate(dims)} if i % 4 else {},
            "dont_know": i % 4 == 0 and i % 8 == 0,
            "strengths": "s",
            "improvements": "",
            "ideas": "",
            "evidence": "",
        }
    result = parse_workbook(
        build_workbook(spec_for("fine_tuned", rows)), meta_for("fine_tuned"), rows
    )
    for row, got in zip(rows, result, strict=True):
        assert got["score"] is None  # the mean is computed elsewhere
        assert got["dimensions"] == row["existing"]["dimensions"]
        assert got["dont_know"] is row["existing"]["dont_know"]
    assert result[0]["dont_know"] and result[0]["dimensions"] == {}
    assert list(result[1]["dimensions"]) == ["plan", "do", "check", "act"]
    assert set(result[-1]["dimensions"]) == {"trends", "targets"}


def test_round_trip_maturity():
    rows = rows_for("maturity")
    for i, row in enumerate(rows):
        row["existing"] = {"score": i % 5, "dont_know": False, "evidence": f"doc {i}"}
    result = parse_workbook(build_workbook(spec_for("maturity", rows)), meta_for("maturity"), rows)
    assert [r["score"] for r in result] == [i % 5 for i in range(12)]
    assert all(isinstance(r["score"], int) for r in result)
    assert result[4]["evidence"] == "doc 4"


def test_empty_workbook_parses_to_empty_answers(classic):
    content, meta, rows = classic
    result = parse_workbook(content, meta, rows)
    assert result[0] == {
        "code": "1.1",
        "score": None,
        "dimensions": {},
        "dont_know": False,
        "strengths": "",
        "improvements": "",
        "ideas": "",
        "evidence": "",
    }


def test_assessor_edits_are_read(classic):
    content, meta, rows = classic

    def change(ws):
        ws["D2"] = 55
        ws["D3"] = "70"
        ws["E4"] = "yes"
        ws["D5"] = "don't know"  # the word typed into the score cell counts too
        ws["F2"] = 2023  # a number in a text column becomes text
        ws["I2"] = "  https://example.org/evidence  "

    result = parse_workbook(edit(content, change), meta, rows)
    assert result[0]["score"] == 55 and result[0]["strengths"] == "2023"
    assert result[0]["evidence"] == "https://example.org/evidence"
    assert result[1]["score"] == 70
    assert result[2] == {**result[2], "score": None, "dont_know": True}
    assert result[3]["dont_know"] is True and result[3]["score"] is None


def test_assessor_edits_fine_tuned(fine):
    content, meta, rows = fine
    r_en, r_res = row_of(rows, "1.1"), row_of(rows, "9.2")

    def change(ws):
        for col, value in zip("DEFG", (10, 20, 30, 45), strict=True):
            ws[f"{col}{r_en}"] = value
        ws[f"H{r_res}"], ws[f"I{r_res}"] = 80, 90

    result = parse_workbook(edit(content, change), meta, rows)
    assert result[0]["dimensions"] == {"plan": 10, "do": 20, "check": 30, "act": 45}
    assert result[-1]["dimensions"] == {"trends": 80, "targets": 90}
    assert result[-1]["score"] is None


# --------------------------------------------------------------------------- layout


def test_layout_protection_and_validations(fine):
    content, _meta, rows = fine
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Instructions", "Scores", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb["Scores"]
    assert ws.freeze_panes == "D2"
    assert ws.protection.sheet and wb["Instructions"].protection.sheet
    assert [c.value for c in ws[1]] == [
        "Code",
        "Criterion",
        "Subcriterion",
        "Plan",
        "Do",
        "Check",
        "Act",
        "Trends",
        "Targets",
        "Don't know",
        "Strengths",
        "Areas for improvement",
        "Improvement ideas",
        "Evidence (links)",
    ]
    r_en, r_res = row_of(rows, "1.1"), row_of(rows, "6.1")
    assert ws[f"A{r_en}"].value == "1.1" and ws[f"A{r_en}"].protection.locked
    assert ws[f"C{r_en}"].fill.fgColor.rgb.endswith("EDEDED")
    assert not ws[f"D{r_en}"].protection.locked and not ws[f"K{r_en}"].protection.locked
    assert ws[f"H{r_en}"].value == "—" and ws[f"H{r_en}"].protection.locked
    assert ws[f"D{r_res}"].value == "—" and not ws[f"H{r_res}"].protection.locked
    assert ws[f"K{r_en}"].alignment.wrap_text and ws.column_dimensions["K"].width >= 40

    dvs = ws.data_validations.dataValidation
    scores = [dv for dv in dvs if dv.type == "whole"]
    assert len(scores) == 1
    dv = scores[0]
    assert (dv.operator, dv.formula1, dv.formula2) == ("between", "0", "100")
    assert dv.showInputMessage and dv.showErrorMessage and "0 to 100" in dv.prompt
    assert f"D{r_en}" in dv.sqref and f"H{r_res}" in dv.sqref and f"H{r_en}" not in dv.sqref
    dk = [dv for dv in dvs if dv.type == "list"]
    assert len(dk) == 1 and dk[0].formula1 == '"yes"' and f"J{r_en}" in dk[0].sqref
    assert any(dv.type == "textLength" and f"N{r_en}" in dv.sqref for dv in dvs)

    meta = {ws_row[0].value: ws_row[1].value for ws_row in wb["_meta"].iter_rows()}
    assert meta["assessment"] == "17" and meta["signature"] == "c2lnbmF0dXJl.abc123"
    assert re.fullmatch(r"[0-9a-f]{64}", meta["fingerprint"])

    intro = [c.value for row in wb["Instructions"].iter_rows() for c in row if c.value]
    assert "Fill in one row per subcriterion." in intro
    assert any(str(v).startswith("Scale: ") and "Trends" in str(v) for v in intro)
    assert "11–30" in intro


def test_instructions_list_classic_bands(classic):
    content, _meta, _rows = classic
    values = [
        c.value
        for row in load_workbook(io.BytesIO(content))["Instructions"].iter_rows()
        for c in row
        if c.value
    ]
    assert values.count("0–10") == 2  # enablers and results tables
    assert "Level" in values and "Meaning" in values


def test_build_translates_embedded_texts():
    catalog = {
        wbk.PROMPT_WHOLE: "Unesite cijeli broj od %(min)s do %(max)s.",
        wbk.MEANING: "Značenje",
    }
    content = build_workbook(spec_for("maturity"), gettext=lambda s: catalog.get(s, s))
    wb = load_workbook(io.BytesIO(content))
    dv = next(dv for dv in wb["Scores"].data_validations.dataValidation if dv.type == "whole")
    assert dv.prompt == "Unesite cijeli broj od 0 do 4."
    assert "Značenje" in [c.value for row in wb["Instructions"].iter_rows() for c in row]


def test_build_rejects_inconsistent_spec():
    spec = spec_for("classic")
    spec["rows"][1]["code"] = spec["rows"][0]["code"]
    with pytest.raises(ValueError):
        build_workbook(spec)
    spec = spec_for("classic")
    spec["labels"]["sheet"] = "_meta"
    with pytest.raises(ValueError):
        build_workbook(spec)


# --------------------------------------------------------------------------- not a workbook


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x8a\x01\xff random bytes" * 40,
        "Šifra;Ocjena\n1.1;55,5\n".encode(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 600,  # OLE2: .xls or a password-protected file
        _zip({"hello.txt": "not a workbook"}),
        _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
        _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<broken"}),
    ],
    ids=["empty", "random", "csv", "xls", "zip", "ods", "broken-xml"],
)
def test_not_an_xlsx(content, classic):
    _content, meta, rows = classic
    p = only(problems(content, meta, rows), wbk.NOT_XLSX)
    assert p.sheet is None


def test_doctype_is_refused(classic):
    content, meta, rows = classic
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/workbook.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
        + members["xl/workbook.xml"].split(b"?>", 1)[-1]
    )
    only(problems(_zip(members), meta, rows), wbk.NOT_XLSX)


def test_zip_bomb_is_refused(classic):
    content, meta, rows = classic
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/media/padding.bin"] = b"\0" * (wbk.MAX_UNPACKED_BYTES + 1)
    bomb = _zip(members)
    assert len(bomb) < 200_000
    only(problems(bomb, meta, rows), wbk.TOO_LARGE)


# --------------------------------------------------------------------------- structure and meta


def test_missing_meta_sheet(classic):
    content, meta, rows = classic
    changed = edit(content, lambda wb: wb.remove(wb["_meta"]), sheet=None)
    only(problems(changed, meta, rows), wbk.TAMPERED)


def test_missing_scores_sheet(classic):
    content, meta, rows = classic
    changed = edit(content, lambda wb: setattr(wb["Scores"], "title", "Renamed"), sheet=None)
    only(problems(changed, meta, rows), wbk.TAMPERED)


def test_fingerprint_mismatch_when_structure_differs(classic):
    content, meta, rows = classic
    only(problems(content, meta, rows[:-1]), wbk.TAMPERED)  # the server now has other rows

    def forge(ws):
        for key, value in ws.iter_rows(max_col=2):
            if key.value == "fingerprint":
                value.value = "0" * 64

    only(problems(edit(content, forge, sheet="_meta"), meta, rows), wbk.TAMPERED)


def test_wrong_framework_version_or_method(classic):
    content, meta, rows = classic
    p = only(problems(content, {**meta, "framework_version": "2030.1"}, rows), wbk.WRONG_FRAMEWORK)
    assert p.params == {"found": "caf2020 2020.1 (classic)", "expected": "caf2020 2030.1 (classic)"}
    only(
        problems(content, {**meta, "method": "fine_tuned"}, rows_for("fine_tuned")),
        wbk.WRONG_FRAMEWORK,
    )
    only(problems(content, meta_for("maturity"), rows_for("maturity")), wbk.WRONG_FRAMEWORK)


def test_other_assessment_assessor_signature(classic):
    content, meta, rows = classic
    only(problems(content, {**meta, "assessment": "18"}, rows), wbk.OTHER_ASSESSMENT)
    only(problems(content, {**meta, "assessor": "43"}, rows), wbk.OTHER_ASSESSOR)
    only(problems(content, {**meta, "signature": "forged"}, rows), wbk.TAMPERED)


def test_meta_problems_and_cell_problems_are_collected_together(classic):
    content, meta, rows = classic
    changed = edit(content, lambda ws: ws.__setitem__("D2", 500))
    found = problems(changed, {**meta, "assessor": "43"}, rows)
    assert [p.message for p in found] == [wbk.OTHER_ASSESSOR, wbk.OUT_OF_RANGE]


def test_header_changed(classic):
    content, meta, rows = classic
    changed = edit(content, lambda ws: ws.__setitem__("D1", "Points"))
    p = only(problems(changed, meta, rows), wbk.HEADER_CHANGED)
    assert (p.sheet, p.cell, p.params["expected"]) == ("Scores", "D1", "Score")


def test_code_cell_edited(classic):
    content, meta, rows = classic
    changed = edit(content, lambda ws: ws.__setitem__("A5", "1.9"))
    p = only(problems(changed, meta, rows), wbk.CODE_CHANGED)
    assert where([p]) == [("Scores", "A5")] and p.params["expected"] == "1.4"


def test_rows_reordered(classic):
    content, meta, rows = classic

    def swap(ws):
        for col in range(1, 10):
            a, b = ws.cell(2, col), ws.cell(3, col)
            a.value, b.value = b.value, a.value

    found = problems(edit(content, swap), meta, rows)
    assert where(found) == [("Scores", "A2"), ("Scores", "A3")]
    assert {p.message for p in found} == {wbk.CODE_CHANGED}


def test_row_deleted(classic):
    content, meta, rows = classic
    found = problems(edit(content, lambda ws: ws.delete_rows(5)), meta, rows)
    assert where(found)[0] == ("Scores", "A5")
    assert found[-1].cell == "A29" and found[-1].params["found"] == ""


def test_row_inserted(classic):
    content, meta, rows = classic

    def insert(ws):
        ws.insert_rows(3)
        ws["A3"], ws["D3"] = "1.1b", 40

    found = problems(edit(content, insert), meta, rows)
    assert ("Scores", "A3") in where(found)
    assert ("Scores", "A30") in where(found)  # the last row was pushed out of the table
    assert {p.message for p in found} == {wbk.CODE_CHANGED, wbk.OUTSIDE_TABLE}


def test_content_outside_the_table(classic):
    content, meta, rows = classic

    def scribble(ws):
        ws["B31"] = "note below the table"
        ws["K4"] = "note to the right"

    found = problems(edit(content, scribble), meta, rows)
    assert sorted(where(found)) == [("Scores", "B31"), ("Scores", "K4")]
    assert {p.message for p in found} == {wbk.OUTSIDE_TABLE}


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", wbk.NOT_A_NUMBER),
        ("yes", wbk.NOT_A_NUMBER),
        (True, wbk.NOT_A_NUMBER),
        ("#DIV/0!", wbk.NOT_A_NUMBER),
        (101, wbk.OUT_OF_RANGE),
        (-1, wbk.OUT_OF_RANGE),
        ("-0,5", wbk.OUT_OF_RANGE),
        (55.5, wbk.OFF_GRID),
        ("55,5", wbk.OFF_GRID),
    ],
)
def test_bad_score(classic, value, message):
    content, meta, rows = classic
    p = only(problems(edit(content, lambda ws: ws.__setitem__("D7", value)), meta, rows), message)
    assert (p.sheet, p.cell) == ("Scores", "D7")
    assert p.params["code"] == "2.2"
    assert "0" in p.render() and "100" in p.render()  # the allowed range is named
    if message == wbk.OFF_GRID:
        assert p.params["value"] == "55.5"


def test_score_with_dont_know(classic):
    content, meta, rows = classic

    def change(ws):
        ws["D3"], ws["E3"] = 40, "yes"

    p = only(problems(edit(content, change), meta, rows), wbk.SCORE_AND_DONT_KNOW)
    assert (p.cell, p.params["dont_know_cell"]) == ("D3", "E3")


def test_bad_dont_know_value(classic):
    content, meta, rows = classic
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__("E3", "maybe")), meta, rows),
        wbk.DONT_KNOW_INVALID,
    )
    assert (p.cell, p.params["yes"]) == ("E3", "yes")


def test_dont_know_not_allowed_on_panel():
    rows = rows_for("maturity")
    for row in rows:
        row["panel"]["allow_no_score"] = False
    content = build_workbook(spec_for("maturity", rows))
    ws = load_workbook(io.BytesIO(content))["Scores"]
    assert ws["E2"].value == "—" and ws["E2"].protection.locked
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__("E2", "yes")), meta_for("maturity"), rows),
        wbk.DONT_KNOW_NOT_ALLOWED,
    )
    assert p.cell == "E2"


def _with_cached_value(content, cell, cached):
    """Give a formula cell a cached result, as Excel or LibreOffice would."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet2.xml"
    xml = members[name].decode()
    xml, n = re.subn(
        rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?', rf"\1<v>{cached}</v>", xml
    )
    assert n == 1
    members[name] = xml.encode()
    return _zip(members)


def test_formula_without_cached_value(classic):
    content, meta, rows = classic
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__("D2", "=50+5")), meta, rows), wbk.FORMULA
    )
    assert (p.sheet, p.cell) == ("Scores", "D2")


def test_formula_with_cached_value_uses_the_value(classic):
    content, meta, rows = classic
    changed = _with_cached_value(edit(content, lambda ws: ws.__setitem__("D2", "=50+5")), "D2", 55)
    assert parse_workbook(changed, meta, rows)[0]["score"] == 55


def test_decimal_step_panel_accepts_decimal_comma():
    rows = rows_for("maturity")
    for row in rows:
        row["panel"].update(
            min=0,
            max=5,
            step=0.5,
            bands=[{"range": [0, 2.5], "meaning": "low"}, {"range": [3, 5], "meaning": "high"}],
        )
    meta = meta_for("maturity")
    content = build_workbook(spec_for("maturity", rows))
    dv = load_workbook(io.BytesIO(content))["Scores"].data_validations.dataValidation[0]
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "5")
    assert "steps of 0.5" in dv.prompt

    def change(ws):
        ws["D2"], ws["D3"], ws["D4"] = "2,5", 4, 3.5

    result = parse_workbook(edit(content, change), meta, rows)
    assert [r["score"] for r in result[:3]] == [2.5, 4, 3.5]
    assert isinstance(result[1]["score"], int)
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__("D5", "2,25")), meta, rows), wbk.OFF_GRID
    )
    assert p.params["step"] == "0.5" and p.cell == "D5"


# --------------------------------------------------------------------------- fine-tuned


def test_partial_dimensions_name_the_empty_cells(fine):
    content, meta, rows = fine

    def change(ws):
        ws["D2"], ws["F2"] = 40, 60

    p = only(problems(edit(content, change), meta, rows), wbk.PARTIAL_DIMENSIONS)
    assert (p.cell, p.params["cells"]) == ("E2", "E2, G2")
    assert p.params["dimensions"] == "Plan, Do, Check, Act"


def test_inapplicable_dimension_filled(fine):
    content, meta, rows = fine
    r = row_of(rows, "6.1")
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__(f"D{r}", 50)), meta, rows),
        wbk.NOT_APPLICABLE,
    )
    assert p.cell == f"D{r}" and p.params["dimension"] == "Plan"


def test_dimensions_with_dont_know(fine):
    content, meta, rows = fine
    r = row_of(rows, "9.1")

    def change(ws):
        ws[f"H{r}"], ws[f"I{r}"], ws[f"J{r}"] = 50, 60, "yes"

    p = only(problems(edit(content, change), meta, rows), wbk.SCORE_AND_DONT_KNOW)
    assert p.cell == f"H{r}"


# --------------------------------------------------------------------------- text


def test_text_too_long(classic):
    content, meta, rows = classic
    p = only(
        problems(edit(content, lambda ws: ws.__setitem__("G9", "x" * 5001)), meta, rows),
        wbk.TEXT_TOO_LONG,
    )
    assert (p.sheet, p.cell, p.params["length"]) == ("Scores", "G9", 5001)
    ok = edit(content, lambda ws: ws.__setitem__("G9", "x" * 5000))
    assert parse_workbook(ok, meta, rows)[7]["improvements"] == "x" * 5000


def test_every_problem_is_collected_and_nothing_returned(fine):
    content, meta, rows = fine

    def change(ws):
        ws["D2"] = "lots"  # not a number (and partial)
        ws["D3"], ws["E3"], ws["F3"], ws["G3"] = 10, 20, 30, 40  # fine
        ws["D4"] = 140
        ws["K5"] = "y" * 6000
        ws["J6"] = "perhaps"

    found = problems(edit(content, change), meta, rows)
    assert where(found) == [
        ("Scores", "D2"),
        ("Scores", "E2"),
        ("Scores", "D4"),
        ("Scores", "E4"),
        ("Scores", "K5"),
        ("Scores", "J6"),
    ]
    assert all(p.sheet == "Scores" and p.cell for p in found)


# --------------------------------------------------------------------------- properties

SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]  # autouse fixtures under Django
CLASSIC_VALUE = st.one_of(st.none(), st.integers(0, 100), st.just("dk"))
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=SLOW)
@given(values=st.lists(CLASSIC_VALUE, min_size=28, max_size=28), text=TEXT)
def test_property_classic_scores_round_trip(values, text):
    rows = rows_for("classic")
    for row, value in zip(rows, values, strict=True):
        row["existing"] = {
            "score": None if value == "dk" else value,
            "dont_know": value == "dk",
            "strengths": text,
        }
    result = parse_workbook(build_workbook(spec_for("classic", rows)), meta_for("classic"), rows)
    assert [r["score"] for r in result] == [None if v == "dk" else v for v in values]
    assert [r["dont_know"] for r in result] == [v == "dk" for v in values]
    assert {r["strengths"] for r in result} == {text.strip()}


@settings(max_examples=20, deadline=None, suppress_health_check=SLOW)
@given(data=st.data())
def test_property_fine_tuned_edits_round_trip(data):
    rows = rows_for("fine_tuned")
    wanted = []
    for row in rows:
        dims = [d["code"] for d in row["panel"]["dimensions"]]
        given_all = data.draw(st.booleans())
        wanted.append({d: data.draw(st.integers(0, 100)) for d in dims} if given_all else {})
    content = build_workbook(spec_for("fine_tuned", rows))

    def change(ws):
        for i, dims in enumerate(wanted):
            for code, value in dims.items():
                ws[f"{FINE[code]}{i + 2}"] = value

    result = parse_workbook(edit(content, change), meta_for("fine_tuned"), rows)
    assert [r["dimensions"] for r in result] == wanted


@settings(max_examples=20, deadline=None, suppress_health_check=SLOW)
@given(levels=st.lists(st.integers(0, 4) | st.none(), min_size=12, max_size=12))
def test_property_maturity_round_trip(levels):
    rows = rows_for("maturity")
    for row, level in zip(rows, levels, strict=True):
        row["existing"] = {"score": level}
    result = parse_workbook(build_workbook(spec_for("maturity", rows)), meta_for("maturity"), rows)
    assert [r["score"] for r in result] == levels


# --------------------------------------------------------------------------- LibreOffice


def soffice_or_skip(environ=os.environ) -> str:
    """LibreOffice's binary; without it, skip, or fail in CI (``CI`` set: .ci/run installs it)."""
    path = shutil.which("soffice")
    if path:
        return path
    if environ.get("CI"):
        pytest.fail(
            "LibreOffice (soffice) is missing in CI: .ci/run installs libreoffice-calc-nogui"
        )
    pytest.skip("LibreOffice (soffice) not installed; apt-get install libreoffice-calc-nogui")


def test_missing_libreoffice_fails_in_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        soffice_or_skip({"CI": "1"})
    with pytest.raises(pytest.skip.Exception):
        soffice_or_skip({})


def test_libreoffice_resave_round_trip(tmp_path: Path):
    soffice = soffice_or_skip()
    rows = rows_for("classic")
    for i, row in enumerate(rows):
        row["existing"] = {"score": i * 3, "strengths": f"s{i}"}
    source = tmp_path / "in" / "workbook.xlsx"
    source.parent.mkdir()
    source.write_bytes(build_workbook(spec_for("classic", rows)))
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    result = parse_workbook((out / "workbook.xlsx").read_bytes(), meta_for("classic"), rows)
    assert [r["score"] for r in result] == [i * 3 for i in range(28)]
    assert [r["strengths"] for r in result] == [f"s{i}" for i in range(28)]


def test_workbook_made_from_scratch_is_refused(classic):
    _content, meta, rows = classic
    wb = Workbook()
    wb.active.title = "Scores"
    out = io.BytesIO()
    wb.save(out)
    only(problems(out.getvalue(), meta, rows), wbk.TAMPERED)
