"""Issue 7 items 12 and 13: the scoring workbook upload against the hostile-file corpus, and
scores of 5,000 digits on every path that takes a score (form, consensus, workbook)."""

import io

import pytest
from openpyxl import load_workbook

from mreza.assessment.models import Consensus, Entry
from mreza.assessment.tests.conftest import assessment, score_all  # noqa: F401 (fixture)
from mreza.core.models import AuditEntry
from mreza.core.tests import hostile

HUGE = "9" * 5000

EXPECTED = {
    "zip_bomb": "too large to be a scoring workbook",
    "lying_zip_bomb": "not an Excel workbook",
    "broken_xml": "not an Excel workbook",
    "billion_laughs": "not an Excel workbook",
    "truncated_zip": "not an Excel workbook",
    "not_a_zip": "not an Excel workbook",
    "empty": "not an Excel workbook",
    "zip_without_workbook": "not an Excel workbook",
    "many_members": "too large to be a scoring workbook",
}


def _upload(client, assessment, content):  # noqa: F811
    file = io.BytesIO(content)
    file.name = "scores.xlsx"
    return client.post(f"/assessments/{assessment.pk}/workbook/", {"workbook": file})


@pytest.fixture
def workbook_corpus(world, assessment, client):  # noqa: F811
    client.force_login(world.bob)
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    assert response.status_code == 200
    return response.content, hostile.xlsx_corpus(response.content, bomb_bytes=256 * 1024 * 1024)


def test_every_hostile_workbook_is_refused_clearly(world, assessment, client, workbook_corpus):  # noqa: F811
    _base, corpus = workbook_corpus
    assert set(corpus) == set(EXPECTED)
    before = AuditEntry.objects.count()
    for name, content in corpus.items():
        response = _upload(client, assessment, content)
        assert response.status_code == 400, name
        assert EXPECTED[name] in response.content.decode(), name
    assert not Entry.objects.exists() and AuditEntry.objects.count() == before


def _score_cell(workbook):
    sheet = workbook["Scores"]
    column = [c.value for c in sheet[1]].index("Score") + 1
    return sheet, column


def test_workbook_score_of_5000_digits_is_a_cell_error(world, assessment, client):  # noqa: F811
    client.force_login(world.bob)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content)
    )
    sheet, column = _score_cell(workbook)
    sheet.cell(row=2, column=column, value=HUGE)
    sheet.cell(row=3, column=column, value=1e308)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, assessment, buffer.getvalue())
    body = response.content.decode()
    assert response.status_code == 400 and "outside the allowed range" in body
    assert (
        sheet.cell(row=2, column=column).coordinate in body
        and sheet.cell(row=3, column=column).coordinate in body
    )
    assert len(body) < 100_000 and HUGE not in body
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "value", [HUGE, "-" + HUGE, "0." + HUGE, HUGE + ",5", "1e5000", "nan", "inf"]
)
def test_score_form_with_a_huge_number_is_a_form_error(world, assessment, client, value):  # noqa: F811
    client.force_login(world.bob)
    response = client.post(
        f"/assessments/{assessment.pk}/score/1.1/", {"score": value, "version": 0}
    )
    assert response.status_code < 500
    body = response.content.decode()
    assert "The score must be" in body or "is not a number" in body or "not a number" in body, body[
        :2000
    ]
    assert not Entry.objects.filter(score__isnull=False).exists()


def test_consensus_form_with_a_huge_number_is_a_form_error(world, assessment, client):  # noqa: F811
    score_all(assessment, world.bob, 40)
    assessment.status = "consensus"
    assessment.save(update_fields=["status"])
    client.force_login(world.alice)
    response = client.post(
        f"/assessments/{assessment.pk}/consensus/1.1/", {"score": HUGE, "version": 0}
    )
    assert response.status_code < 500
    assert "The score must be between" in response.content.decode()
    assert not Consensus.objects.exists()
