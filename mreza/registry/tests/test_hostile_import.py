"""Issue 7 item 13: hostile registry files get one clear message, a non-zero exit and no write."""

import io
import resource
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from mreza.core.models import AuditEntry
from mreza.core.tests import hostile
from mreza.registry import importing
from mreza.registry.models import Country, Membership, Municipality, Organisation, Region

HEADER = "code,country,region_code,name,type,population,census_year,area_km2,latitude,longitude\n"
GOOD = "T-X,BA,T-RS,Nova,municipality,1000,2013,12.5,44.1,17.2\n"


def registry_xlsx(
    rows=(("T-X", "BA", "T-RS", "Nova", "municipality", 1000, 2013, 12.5, 44.1, 17.2),),
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "municipalities"
    sheet.append(HEADER.strip().split(","))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    return (
        Municipality.objects.count(),
        Region.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        Country.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(path, *fragments):
    """Run the import command: it must fail with every fragment in its message and write nothing."""
    before = state()
    with pytest.raises(CommandError) as error:
        call_command("import_registry", str(path), stdout=io.StringIO())
    message = str(error.value)
    assert "Nothing was imported" in message and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, message
    assert state() == before
    return message


XLSX_EXPECTED = {
    "zip_bomb": "unpacks to more than 50 MB",
    "lying_zip_bomb": "not an XLSX workbook",
    "broken_xml": "damaged",
    "billion_laughs": "not an XLSX workbook",
    "truncated_zip": "not an XLSX workbook",
    "not_a_zip": "not an XLSX workbook",
    "empty": "not an XLSX workbook",
    "zip_without_workbook": "not an XLSX workbook",
    "many_members": "parts",
}


@pytest.fixture(scope="module")
def xlsx_corpus():
    return hostile.xlsx_corpus(registry_xlsx(), bomb_bytes=256 * 1024 * 1024)


@pytest.mark.parametrize("name", sorted(XLSX_EXPECTED))
def test_hostile_xlsx_is_refused_cleanly(world, tmp_path, xlsx_corpus, name):
    path = tmp_path / "municipalities.xlsx"
    path.write_bytes(xlsx_corpus[name])
    refused(path, "municipalities.xlsx", XLSX_EXPECTED[name])


def test_zip_bomb_is_refused_fast_and_small(world, tmp_path, xlsx_corpus):
    """A sheet of 1 GB (hostile.BOMB_BYTES in the report's measurement; 256 MB here) is never
    inflated."""
    path = tmp_path / "municipalities.xlsx"
    path.write_bytes(xlsx_corpus["zip_bomb"])
    assert path.stat().st_size < 5 * 1024 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    refused(path, "unpacks to more than")
    assert time.monotonic() - started < 2
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 100 * 1024  # the 1 GB sheet is never inflated


CSV_CASES = {
    "field_over_128_kb": (
        HEADER + "T-X,BA,T-RS," + "N" * 200_000 + ",municipality,1,2013,1,44,17\n",
        ["row 2", "longer than 131072 characters"],
    ),
    "name_over_200": (
        HEADER + "T-X,BA,T-RS," + "N" * 5000 + ",municipality,1,2013,1,44,17\n",
        ["row 2", "column “name”", "at most 200"],
    ),
    "nan_population": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,nan,2013,1,44,17\n",
        ["row 2", "column “population”", "“nan” is not a number"],
    ),
    "inf_latitude": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,1,inf,17\n",
        ["row 2", "column “latitude”", "“inf” is not a number"],
    ),
    "nan_longitude": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,1,44,NaN\n",
        ["row 2", "column “longitude”", "not a number"],
    ),
    "area_1e309": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,1e309,44,17\n",
        ["row 2", "column “area_km2”", "outside the allowed range"],
    ),
    "area_nan": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,NaN,44,17\n",
        ["row 2", "column “area_km2”", "not a number"],
    ),
    "area_too_precise_for_db": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,123456789,44,17\n",
        ["row 2", "column “area_km2”", "outside the allowed range"],
    ),
    "population_5000_digits": (
        HEADER + "T-X,BA,T-RS,Nova,municipality," + "9" * 5000 + ",2013,1,44,17\n",
        ["row 2", "column “population”", "is not a number"],
    ),
    "latitude_1e309": (
        HEADER + "T-X,BA,T-RS,Nova,municipality,1,2013,1,1e309,17\n",
        ["row 2", "column “latitude”", "not a number"],
    ),
    "nul_in_name": (
        HEADER + "T-X,BA,T-RS,No\x00va,municipality,1,2013,1,44,17\n",
        ["row 2", "column “name”", "control character (U+0000)"],
    ),
    "line_break_in_name": (
        HEADER + 'T-X,BA,T-RS,"No\nva",municipality,1,2013,1,44,17\n',
        ["row 2", "column “name”", "U+000A"],
    ),
    "duplicate_header": (
        "code,country,region_code,name,name,type\nT-X,BA,T-RS,A,B,municipality\n",
        ["row 1", "Columns appear more than once: name"],
    ),
    "blank_header": (
        "code,country,region_code,name,,type\nT-X,BA,T-RS,A,B,municipality\n",
        ["row 1", "Columns without a heading (column number 5)"],
    ),
    "unknown_header": (
        HEADER.strip() + ",colour\n" + GOOD.strip() + ",red\n",
        ["row 1", "Unknown columns: colour"],
    ),
    "bidi_website": (
        "code,country,region_code,name,type,website\n"
        "T-X,BA,T-RS,Nova,municipality,https://example.org/\u202eexe.pdf\n",
        ["row 2", "column “website”", "U+202E"],
    ),
    "ragged_row": (HEADER + "T-X,BA,T-RS\n", ["row 2", "The row has 3 fields"]),
}


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_hostile_csv_is_refused_cleanly(world, tmp_path, name):
    text, fragments = CSV_CASES[name]
    path = tmp_path / "municipalities.csv"
    path.write_text(text, encoding="utf-8")
    refused(path, *fragments)


def test_the_good_row_alone_imports(world, tmp_path):
    """The cases above differ from a file that imports (so each refusal is the hostile value's
    doing)."""
    path = tmp_path / "municipalities.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import_registry", str(path), stdout=io.StringIO())
    assert str(Municipality.objects.get(code="T-X").area_km2) == "12.50"


def test_xlsx_numbers_nan_inf_and_long_cells(world, tmp_path):
    base = registry_xlsx()
    sheet = hostile.first_sheet(base)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
        + b'<row r="1">'
        + b"".join(
            f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'.encode()
            for col, name in zip("ABCDEFGHIJ", HEADER.strip().split(","), strict=True)
        )
        + b"</row>"
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>T-X</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>BA</t>'
        b'</is></c><c r="C2" t="inlineStr"><is><t>T-RS</t></is></c><c r="D2" t="inlineStr"><is><t>'
        + b"L"
        * 140_000
        + b'</t></is></c><c r="E2" t="inlineStr"><is><t>municipality</t></is></c>'
        b'<c r="F2"><v>NaN</v></c><c r="G2"><v>2013</v></c><c r="H2"><v>1e309</v></c>'
        b'<c r="I2"><v>inf</v></c><c r="J2"><v>17</v></c></row></sheetData></worksheet>'
    )
    path = tmp_path / "municipalities.xlsx"
    path.write_bytes(
        hostile.replace_member(
            base,
            sheet,
            xml.replace(b"<v>NaN</v>", b"<v>5</v>").replace(b"<v>inf</v>", b"<v>44</v>"),
        )
    )
    refused(path, "row 2", "column “name”", "longer than 131072")
    path.write_bytes(hostile.replace_member(base, sheet, xml.replace(b"L" * 140_000, b"Nova")))
    refused(path, "row 2", "cannot be read", "NaN")
    numbers = (
        xml.replace(b"L" * 140_000, b"Nova")
        .replace(b"<v>NaN</v>", b"<v>5</v>")
        .replace(b"<v>inf</v>", b"<v>1e400</v>")
    )
    path.write_bytes(hostile.replace_member(base, sheet, numbers))
    refused(path, "row 2", "column “area_km2”", "column “latitude”", "not a number")


def test_decoded_csv_over_the_limit(world, settings):
    settings.MREZA_IMPORT_MAX_BYTES = 1000
    with pytest.raises(importing.RegistryImportError) as error:
        importing.read_bytes((HEADER + GOOD * 100).encode(), "municipalities.csv")
    assert "the limit is 0.0 MB" in str(error.value)


def test_command_exits_non_zero(world, tmp_path):
    path = tmp_path / "municipalities.csv"
    path.write_text(CSV_CASES["nul_in_name"][0], encoding="utf-8")
    manage = settings.BASE_DIR / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "import_registry", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "control character (U+0000)" in done.stderr


def _flush_registry():
    Membership.objects.all().delete()
    Municipality.objects.filter(part_of__isnull=False).delete()
    Municipality.objects.all().delete()
    while Region.objects.exists():
        Region.objects.filter(children__isnull=True).delete()
    Organisation.objects.all().delete()
    Country.objects.all().delete()


@pytest.mark.parametrize("target", ["out", "out.xlsx"])
def test_export_reimports_into_an_empty_database(db, tmp_path, target):
    country = Country.objects.create(code="BA", name="Bosnia and Herzegovina")
    entity = Region.objects.create(
        country=country, code="T-RS", kind="entity", name="Република Српска"
    )
    district = Region.objects.create(
        country=country, code="T-RS-1", kind="district", name="=Regija", parent=entity
    )
    association = Organisation.objects.create(
        code="T-ASSOC", kind="association", name="+Savez", country=country
    )
    city = Municipality.objects.create(
        code="T-C",
        name="-Град",
        country=country,
        region=district,
        type="city",
        population=1000,
        area_km2="12.50",
        latitude=44.5,
        longitude=-17.25,
        website="https://example.org/=x",
    )
    part = Municipality.objects.create(
        code="T-P", name="@Dio", country=country, region=entity, part_of=city
    )
    Membership.objects.create(municipality=part, organisation=association)
    before = sorted(importing.export_rows("BA"), key=lambda r: r["code"])
    regions = sorted(importing.export_regions("BA"), key=lambda r: r["code"])
    call_command("export_registry", "--country", "BA", str(tmp_path / target), stdout=io.StringIO())
    _flush_registry()
    assert not Municipality.objects.exists() and not Organisation.objects.exists()
    call_command("import_registry", str(tmp_path / target), stdout=io.StringIO())
    assert sorted(importing.export_rows("BA"), key=lambda r: r["code"]) == before
    assert sorted(importing.export_regions("BA"), key=lambda r: r["code"]) == regions
    assert Organisation.objects.get(code="T-ASSOC").name == "+Savez"
