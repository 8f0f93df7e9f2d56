"""Issue 7 item 4: no export writes text that a spreadsheet would run as a formula."""

import csv
import datetime
import decimal
import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from mreza.assessment.tests.conftest import agree_all, assessment, score_all  # noqa: F401 (fixture)
from mreza.core import exports

HOSTILE = [
    '=HYPERLINK("http://evil.example/","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=cmd|'/c calc'!A1",
    " \n=2*3",
]


def assert_no_formula_in_xlsx(content):
    """No cell is a formula, and the sheets' XML has no <f> element at all."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    workbook = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def assert_no_formula_in_csv(text):
    cells = [value for row in csv.reader(io.StringIO(text)) for value in row]
    for value in cells:
        if value.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@") or value[:1] in ("\t", "\r"):
            assert value.startswith("'"), value
    return cells


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_prefixes_formula_like_text_and_round_trips(text):
    safe = exports.neutralise(text)
    assert safe == "'" + text
    assert exports.unneutralise(safe) == text


@pytest.mark.parametrize(
    "value",
    ["plain", "Бања Лука", "", "a=b", "e-mail@x.org", 5, -3, 2.5, None, datetime.date(2025, 1, 1)],
)
def test_ordinary_values_and_numbers_stay_as_they_are(value):
    assert exports.cell(value) == value


@pytest.mark.parametrize(
    "value",
    [
        float("inf"),
        float("-inf"),
        float("nan"),
        decimal.Decimal("Infinity"),
        decimal.Decimal("NaN"),
    ],
)
def test_non_finite_numbers_become_empty_cells(value):
    from openpyxl import Workbook

    assert exports.cell(value) is None
    sheet = Workbook().active
    exports.append(sheet, ["x", value])
    assert sheet.cell(1, 2).value is None


def test_illegal_xml_characters_are_dropped():
    assert exports.neutralise("Bad\x00name\x07") == "Badname"


@pytest.fixture
def hostile_assessment(world, assessment):  # noqa: F811 (the imported fixture)
    """An assessment in consensus whose texts (entries, consensus, plan) are all formula-like."""
    from mreza.assessment.models import Consensus, Entry, ImprovementAction, Subcriterion

    score_all(assessment, world.bob, 30)
    score_all(assessment, world.alice, 70)
    Entry.objects.filter(assessment=assessment).update(
        strengths=HOSTILE[0], improvements=HOSTILE[4], ideas=HOSTILE[5], evidence=HOSTILE[3]
    )
    assessment.status = "consensus"
    assessment.save(update_fields=["status"])
    agree_all(assessment, world.alice, 35)
    Consensus.objects.filter(assessment=assessment).update(
        strengths=HOSTILE[1], improvements=HOSTILE[2]
    )
    sub = Subcriterion.objects.get(framework=assessment.framework, code="6.1")
    ImprovementAction.objects.create(
        assessment=assessment,
        subcriterion=sub,
        title=HOSTILE[0],
        owner=HOSTILE[1],
        deadline="2026-06-30",
        expected_result=HOSTILE[2],
        indicator=HOSTILE[3],
        impact=5,
        feasibility=4,
        status="plan",
    )
    return assessment


def test_results_xlsx_has_no_formula(world, hostile_assessment, client):
    client.force_login(world.alice)
    response = client.get(f"/assessments/{hostile_assessment.pk}/results.xlsx")
    assert response.status_code == 200
    texts = assert_no_formula_in_xlsx(response.content)
    assert HOSTILE[0] in texts and HOSTILE[1] in texts  # the text itself is kept, as text


def test_results_csv_has_no_formula(world, hostile_assessment, client):
    client.force_login(world.alice)
    response = client.get(f"/assessments/{hostile_assessment.pk}/results.csv")
    assert response.status_code == 200
    cells = assert_no_formula_in_csv(response.content.decode("utf-8-sig"))
    assert "'" + HOSTILE[1] in cells and "'" + HOSTILE[2] in cells


def test_plan_xlsx_has_no_formula(world, hostile_assessment, client):
    client.force_login(world.alice)
    response = client.get(f"/assessments/{hostile_assessment.pk}/plan.xlsx")
    assert response.status_code == 200
    texts = assert_no_formula_in_xlsx(response.content)
    assert HOSTILE[0] in texts and HOSTILE[3] in texts


def test_scoring_workbook_uses_the_same_guard(world, assessment, client):  # noqa: F811
    from mreza.assessment.models import Entry
    from mreza.assessment.workbook import builder as workbook_build

    assert workbook_build.exports is exports
    score_all(assessment, world.bob, 30, submit=False)
    Entry.objects.filter(assessment=assessment, assessor=world.bob).update(
        strengths=HOSTILE[0], improvements=HOSTILE[2]
    )
    client.force_login(world.bob)
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    assert response.status_code == 200
    texts = assert_no_formula_in_xlsx(response.content)
    assert (
        HOSTILE[0] in texts and HOSTILE[2] in texts
    )  # kept exactly, so the upload reads them back


def _hostile_registry(world):
    from mreza.registry.models import Organisation

    world.a.name = "=1+1"
    world.a.website = "https://example.org/@x"
    world.a.save()
    world.b.name = "-2+3"
    world.b.save()
    world.canton.name = "@SUM(A1)"
    world.canton.save()
    Organisation.objects.filter(pk=world.association.pk).update(
        name="+Savez", country=world.country
    )


def test_export_registry_csv_has_no_formula_and_reimports(world, tmp_path):
    _hostile_registry(world)
    call_command("export_registry", "--country", "BA", str(tmp_path / "out"), stdout=io.StringIO())
    for name in ("associations", "regions", "municipalities"):
        assert_no_formula_in_csv((tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8"))
    text = (tmp_path / "out" / "municipalities.csv").read_text(encoding="utf-8")
    assert "'=1+1" in text and "'-2+3" in text


def test_export_registry_xlsx_has_no_formula(world, tmp_path):
    _hostile_registry(world)
    call_command(
        "export_registry", "--country", "BA", str(tmp_path / "out.xlsx"), stdout=io.StringIO()
    )
    texts = assert_no_formula_in_xlsx((tmp_path / "out.xlsx").read_bytes())
    assert "=1+1" in texts and "@SUM(A1)" in texts and "+Savez" in texts
