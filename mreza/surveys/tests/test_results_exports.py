"""The anonymous responses as CSV and XLSX with their codebook (issue 12 item 4): one row per
response with a running number, one column per item, matrix row and option; nothing that could
become a formula; the codebook describes exactly the columns; downloads are never cached."""

import csv
import io

import pytest
from openpyxl import load_workbook

from mreza.core.exports import unneutralise
from mreza.surveys.models import Response
from mreza.surveys.tests.test_results_aggregation import DAY, make_survey, make_wave

HEADER = [
    "number",
    "language",
    "channel",
    "day",
    "overall",
    "services.roads",
    "services.water",
    "trust",
    "heard",
    "channels.web",
    "channels.office",
    "channels.phone",
    "visits",
    "age",
    "comment",
]


@pytest.fixture
def exported(world):
    survey = make_survey(world.a)
    wave = make_wave(survey)
    Response.objects.create(
        wave=wave,
        answers={
            "overall": 4,
            "services": {"roads": 2},
            "trust": "yes",
            "channels": ["web", "phone"],
            "visits": 2.5,
            "age": "old",
            "comment": "=1+1",
        },
        language="sr",
        channel="paper",
        submitted_on=DAY,
        entered_by=world.bob,
        paper_number="PAPER-77",
    )
    Response.objects.create(
        wave=wave,
        answers={"overall": 9, "trust": "=HYPERLINK(1)", "channels": "web", "comment": "@SUM"},
        language="en",
        submitted_on=DAY,
    )
    return survey, wave


def _get(client, survey, wave, name):
    response = client.get(f"/surveys/{survey.pk}/waves/{wave.pk}/{name}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_a_running_number_and_one_column_per_answer(world, client, exported):
    survey, wave = exported
    client.force_login(world.alice)
    header, first, second = _csv(_get(client, survey, wave, "responses.csv"))
    assert header == HEADER
    assert first == [
        "1",
        "sr",
        "paper",
        "2026-03-01",
        "4",
        "2",
        "",
        "yes",
        "",
        "1",
        "0",
        "1",
        "2.5",
        "old",
        "'=1+1",  # neutralised: a spreadsheet shows it, never runs it
    ]
    # off the scale, not an option, not a list: empty cells; a text is neutralised
    assert second[4:] == ["", "", "", "", "", "", "", "", "", "", "'@SUM"]
    assert unneutralise(first[-1]) == "=1+1"
    body = _get(client, survey, wave, "responses.csv").content.decode("utf-8-sig")
    assert "PAPER-77" not in body and "bob" not in body.lower()


def test_the_codebook_describes_exactly_the_columns(world, client, exported):
    survey, wave = exported
    client.force_login(world.alice)
    rows = _csv(_get(client, survey, wave, "codebook.csv"))
    assert rows[0] == ["Column", "Question", "Type", "Values"]
    assert [row[0] for row in rows[1:]] == HEADER
    book = {row[0]: row for row in rows[1:]}
    assert book["trust"][1:] == [
        "Trust",
        "single choice",
        "yes = Yes; no = No; dont-know = Dont-Know",
    ]
    assert book["services.roads"][1] == "Services — Roads"
    assert book["channels.phone"][3].startswith("1 = chosen; 0 = not chosen")
    assert book["visits"][3] == "a number from 0 to 100"
    assert book["channel"][3] == "web = online; paper = paper"


def test_the_xlsx_has_the_responses_and_the_codebook_as_text_cells(world, client, exported):
    survey, wave = exported
    client.force_login(world.alice)
    workbook = load_workbook(io.BytesIO(_get(client, survey, wave, "responses.xlsx").content))
    assert workbook.sheetnames == ["Responses", "Codebook"]
    responses, codebook = workbook["Responses"], workbook["Codebook"]
    assert [c.value for c in responses[1]] == HEADER
    comment = responses.cell(row=2, column=len(HEADER))
    assert comment.value == "=1+1" and comment.data_type == "s"  # a string, never a formula
    assert responses.cell(row=2, column=1).value == 1
    assert responses.cell(row=2, column=4).value.isoformat().startswith("2026-03-01")
    assert [row[0].value for row in codebook.iter_rows(min_row=2)] == HEADER
    assert all(c.data_type != "f" for row in responses.iter_rows() for c in row)


def test_the_codebook_speaks_the_readers_language(world, client, exported):
    survey, wave = exported
    client.force_login(world.alice)
    rows = _csv(
        client.get(f"/surveys/{survey.pk}/waves/{wave.pk}/codebook.csv", HTTP_ACCEPT_LANGUAGE="sr")
    )
    assert {row[0]: row for row in rows[1:]}["overall"][1] == "Питање"


def test_only_those_who_may_download_get_the_files(world, client, exported):
    survey, wave = exported
    other = make_wave(make_survey(world.a), "Other")
    client.force_login(world.alice)
    assert client.get(f"/surveys/{survey.pk}/waves/{other.pk}/responses.csv").status_code == 404
    client.force_login(world.dana)  # network coordinator: no view of A's surveys
    assert client.get(f"/surveys/{survey.pk}/waves/{wave.pk}/responses.csv").status_code == 404
    client.logout()
    response = client.get(f"/surveys/{survey.pk}/waves/{wave.pk}/responses.xlsx")
    assert response.status_code == 302
    survey.results_public = True
    survey.save()
    assert client.get(f"/surveys/{survey.pk}/waves/{wave.pk}/codebook.csv").status_code == 403
