import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from mreza.core.models import AuditEntry
from mreza.registry.models import Municipality, Region

HEADER = "code,country,region_code,name,type,population,census_year,latitude,longitude\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_registry", str(path), *args, stdout=out)
    return out.getvalue()


def test_imports_regions_and_municipalities_and_audits(world, tmp_path):
    write(
        tmp_path,
        "regions.csv",
        "code,country,kind,parent_code,name\nRS-OK,RS,okrug,,Мачвански округ\n",
    )
    write(
        tmp_path,
        "municipalities.csv",
        HEADER + "RS-SABAC,RS,RS-OK,Шабац,city,105854,2022,44.75,19.69\n",
    )
    output = run(tmp_path)
    assert "municipalities: 1 new" in output
    sabac = Municipality.objects.get(code="RS-SABAC")
    assert sabac.population == 105854 and sabac.region.name == "Мачвански округ"
    assert AuditEntry.objects.filter(
        object_id=str(sabac.pk), actor_label="import_registry"
    ).exists()
    write(
        tmp_path,
        "municipalities.csv",
        HEADER + "RS-SABAC,RS,RS-OK,Шабац,city,106000,2022,44.75,19.69\n",
    )
    assert "1 changed" in run(tmp_path / "municipalities.csv", "--dry-run")
    assert Municipality.objects.get(code="RS-SABAC").population == 105854  # dry run wrote nothing


def test_xlsx_workbook(world, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "municipalities"
    sheet.append(HEADER.strip().split(","))
    sheet.append(["T-X", "BA", "T-RS", "Нова", "municipality", 1000, 2013, 44.1, 17.2])
    workbook.save(tmp_path / "reg.xlsx")
    run(tmp_path / "reg.xlsx")
    assert Municipality.objects.get(code="T-X").population == 1000


def assert_refused(path, *fragments, args=()):
    before = (Municipality.objects.count(), Region.objects.count())
    with pytest.raises(CommandError) as error:
        run(path, *args)
    message = str(error.value)
    assert "Nothing was imported" in message
    for fragment in fragments:
        assert fragment in message, message
    assert (Municipality.objects.count(), Region.objects.count()) == before
    return message


def test_missing_and_unknown_columns(world, tmp_path):
    path = write(tmp_path, "municipalities.csv", "code,country,name,colour\nX,BA,Y,red\n")
    assert_refused(path, "row 1", "Missing columns: region_code, type", "Unknown columns: colour")


def test_wrong_types_are_reported_by_row_and_column(world, tmp_path):
    path = write(
        tmp_path,
        "municipalities.csv",
        HEADER
        + "OK1,BA,T-RS,Good,municipality,100,2013,44.1,17.1\n"
        + "BAD1,BA,T-RS,Bad,village,many,2013,95,17.1\n",
    )
    message = assert_refused(
        path,
        "row 3",
        "column “population”",
        "“many” is not a number",
        "column “latitude”",
        "Unknown type village",
    )
    assert "row 2" not in message


def test_duplicate_codes(world, tmp_path):
    path = write(
        tmp_path,
        "municipalities.csv",
        HEADER
        + "D1,BA,T-RS,One,municipality,1,2013,44,17\nD1,BA,T-RS,Two,municipality,1,2013,44,17\n",
    )
    assert_refused(path, "row 3", "Duplicate code D1 (first on row 2)")


def test_unknown_region_refuses_everything(world, tmp_path):
    path = write(
        tmp_path,
        "municipalities.csv",
        HEADER
        + "G1,BA,T-RS,Good,municipality,1,2013,44,17\n"
        + "G2,BA,NOWHERE,Bad,municipality,1,2013,44,17\n",
    )
    assert_refused(path, "row 3", "Unknown region NOWHERE")
    assert not Municipality.objects.filter(code="G1").exists()


def test_invalid_utf8(world, tmp_path):
    path = write(
        tmp_path,
        "municipalities.csv",
        HEADER.encode() + b"Z,BA,T-RS,Ba" + b"\xe8ko,city,1,2013,44,17\n",
    )
    assert_refused(path, "row 2", "not valid UTF-8")


def test_xlsx_that_is_not_xlsx(world, tmp_path):
    path = write(tmp_path, "municipalities.xlsx", "code,name\nthis is a csv in disguise\n")
    assert_refused(path, "not an XLSX workbook")


def test_file_over_the_size_limit(world, tmp_path, settings):
    path = tmp_path / "municipalities.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    assert_refused(path, "50.0 MB", "limit is 20.0 MB")


def test_export_and_reimport_round_trip(world, tmp_path):
    call_command("export_registry", "--country", "BA", str(tmp_path / "out"), stdout=io.StringIO())
    text = (tmp_path / "out" / "municipalities.csv").read_text(encoding="utf-8")
    assert "Бања Лука" in text
    assert "0 new, 0 changed" in run(tmp_path / "out", "--dry-run")
    call_command(
        "export_registry", "--country", "BA", str(tmp_path / "ba.xlsx"), stdout=io.StringIO()
    )
    assert "0 new, 0 changed, 2 unchanged" in run(tmp_path / "ba.xlsx", "--dry-run")
