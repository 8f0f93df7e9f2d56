import io

from openpyxl import load_workbook

from mreza.assessment.models import Entry
from mreza.assessment.tests.conftest import make_assessors


def download(client, assessment):
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(client, assessment, workbook_or_bytes, name="scores.xlsx"):
    if not isinstance(workbook_or_bytes, bytes):
        buffer = io.BytesIO()
        workbook_or_bytes.save(buffer)
        workbook_or_bytes = buffer.getvalue()
    file = io.BytesIO(workbook_or_bytes)
    file.name = name
    return client.post(f"/assessments/{assessment.pk}/workbook/", {"workbook": file})


def fill(workbook, value):
    sheet = workbook["Scores"]
    column = [c.value for c in sheet[1]].index("Score") + 1
    for row in range(2, 30):
        sheet.cell(row=row, column=column, value=value)
    return sheet, column


def test_round_trip_saves_every_subcriterion(world, assessment, client):
    client.force_login(world.bob)
    workbook = download(client, assessment)
    fill(workbook, 65)
    response = upload(client, assessment, workbook)
    assert response.status_code == 302
    assert Entry.objects.filter(assessor=world.bob, score=65).count() == 28


def test_bad_cell_is_named_and_nothing_is_saved(world, assessment, client):
    client.force_login(world.bob)
    workbook = download(client, assessment)
    sheet, column = fill(workbook, 65)
    sheet.cell(row=7, column=column, value=150)
    response = upload(client, assessment, workbook)
    body = response.content.decode()
    assert (
        response.status_code == 400
        and "Scores" in body
        and f"{sheet.cell(row=7, column=column).coordinate}" in body
    )
    assert not Entry.objects.exists()


def test_workbook_of_another_assessor_or_assessment_is_refused(world, assessment, client):
    carol = make_assessors(world, 1)[0]
    from mreza.assessment import services

    services.add_member(assessment, carol, "assessor")
    client.force_login(world.bob)
    bobs = download(client, assessment)
    fill(bobs, 40)
    client.force_login(carol)
    response = upload(client, assessment, bobs)
    assert response.status_code == 400 and "another assessor" in response.content.decode()
    assert not Entry.objects.exists()


def test_not_an_xlsx_is_refused_clearly(world, assessment, client):
    client.force_login(world.bob)
    response = upload(client, assessment, b"code,score\n1.1,50\n", name="scores.xlsx")
    assert response.status_code == 400 and "not an Excel workbook" in response.content.decode()


def test_tampered_structure_is_refused(world, assessment, client):
    client.force_login(world.bob)
    workbook = download(client, assessment)
    sheet, _column = fill(workbook, 50)
    sheet.protection.sheet = False
    sheet["A5"] = "9.9"
    response = upload(client, assessment, workbook)
    assert response.status_code == 400 and "A5" in response.content.decode()
    assert not Entry.objects.exists()
