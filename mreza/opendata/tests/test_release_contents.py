"""What a release holds (issue 14 item 5): every dataset as CSV and JSON with the same rows, a
Frictionless data dictionary that matches the files, the README with licence and date; cells a
spreadsheet would run are neutralised; nothing private gets in."""

import csv
import datetime
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.opendata import services
from mreza.opendata.providers import DATASETS
from mreza.opendata.tests.conftest import FORMULA
from mreza.opendata.tests.helpers import archive, csv_rows, descriptor, json_rows, raw_csv
from mreza.surveys.tests.test_results_aggregation import add_responses

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 2, 30, tzinfo=datetime.UTC)


@pytest.fixture
def built(od):
    release = services.build_release(now=NOW)
    return od, release, archive(release)


def _float_or_same(value):
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def test_every_dataset_is_there_as_csv_and_json_with_its_dictionary(built):
    _w, release, zipped = built
    names = set(zipped.namelist())
    expected = {d.name for d in DATASETS}
    assert {n[4:-4] for n in names if n.startswith("csv/")} == expected
    assert {n[5:-5] for n in names if n.startswith("json/")} == expected
    assert {"datapackage.json", "README.md"} <= names
    package = descriptor(zipped)
    assert package["profile"] == "data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    for dataset in DATASETS:
        header, rows = csv_rows(zipped, dataset.name)
        fields = resources[dataset.name]["schema"]["fields"]
        assert header == [f["name"] for f in fields] == dataset.field_names
        assert all(f["type"] and f["description"] for f in fields)
        assert resources[f"{dataset.name}-json"]["schema"]["fields"] == fields
        data = zipped.read(resources[dataset.name]["path"])
        assert resources[dataset.name]["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert release.counts[dataset.name] == len(rows)


def test_the_json_files_hold_the_same_rows_as_the_csv_files(built):
    _w, _release, zipped = built
    for dataset in DATASETS:
        _header, from_csv = csv_rows(zipped, dataset.name)
        from_json = json_rows(zipped, dataset.name)
        assert len(from_csv) == len(from_json), dataset.name
        for a, b in zip(from_csv, from_json, strict=True):
            assert {k: _float_or_same(v) for k, v in a.items()} == {
                k: _float_or_same(v) for k, v in b.items()
            }, dataset.name


def test_the_release_has_rows_where_the_world_has_public_data(built):
    _w, release, _zipped = built
    for name in (
        "countries",
        "regions",
        "municipalities",
        "frameworks",
        "criteria",
        "subcriteria",
        "learning_profiles",
        "workspaces",
        "workspace_members",
        "workspace_progress",
        "workspace_indicators",
        "surveys",
        "survey_waves",
        "survey_items",
        "survey_results",
        "survey_summaries",
        "evaluations",
        "evaluation_members",
        "recognitions",
    ):
        assert release.counts[name] > 0, name


def test_the_readme_states_the_licence_the_date_and_the_source(built):
    _w, _release, zipped = built
    readme = zipped.read("README.md").decode()
    assert "CC BY 4.0" in readme and "https://creativecommons.org/licenses/by/4.0/" in readme
    assert "2026-12-03" in readme
    assert "https://mreza.example" in readme


def test_a_formula_in_a_name_is_neutralised_in_the_csv_and_kept_in_the_json(built):
    _w, _release, zipped = built
    cells = list(csv.reader(io.StringIO(raw_csv(zipped, "municipalities"))))
    names = [row[cells[0].index("name")] for row in cells[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names
    assert FORMULA in [row["name"] for row in json_rows(zipped, "municipalities")]


def test_negative_numbers_are_numbers_not_neutralised_text(od, media):
    od.d.longitude = -17.5
    od.d.save()
    zipped = archive(services.build_release(now=NOW))
    assert ",-17.5," in raw_csv(zipped, "municipalities")


def test_private_data_is_absent(built):
    w, _release, zipped = built
    everything = "\n".join(
        zipped.read(n).decode("utf-8-sig") for n in zipped.namelist() if n != "README.md"
    )
    profiles = json_rows(zipped, "learning_profiles")
    assert {p["profile_id"] for p in profiles} == {w.public_profile.pk}
    assert "7.7" not in {p["subcriterion"] for p in profiles}  # C's profile: coordinators only
    workspaces = {r["workspace_id"] for r in json_rows(zipped, "workspaces")}
    assert workspaces == {w.workspace.pk}  # the twinning is not published
    assert "Banja Luka – Kranj" not in everything and "Kranj" not in everything
    members = json_rows(zipped, "workspace_members")
    assert {m["workspace_id"] for m in members} == {w.workspace.pk}
    surveys = {r["survey_id"] for r in json_rows(zipped, "surveys")}
    assert surveys == {w.public_survey.pk}
    waves = {r["wave_id"] for r in json_rows(zipped, "survey_waves")}
    assert waves == {w.public_wave.pk}  # not the open one, not the private survey's
    assert "Secret wave" not in everything
    assert "Jovan" not in everything  # free text is never included
    assert "age" not in {r["item"] for r in json_rows(zipped, "survey_items")}
    evaluations = {r["evaluation_id"] for r in json_rows(zipped, "evaluations")}
    assert evaluations == {w.evaluation.pk}
    assert "Twinning evaluation (private)" not in everything
    parts = json_rows(zipped, "evaluation_members")
    assert [p["municipality"] for p in parts] == ["T-A"]  # only the submitted part
    assert "Unsubmitted lessons of C" not in everything
    recognitions = json_rows(zipped, "recognitions")
    assert [(r["municipality"], r["kind"]) for r in recognitions] == [("T-A", "best_result")]
    assert "AAAA-BBBB" not in everything  # verification codes stay with the certificate
    for secret in ("@example.org", "Alice", "Dana", "test-password"):
        assert secret not in everything


def test_an_item_answered_fewer_than_five_times_is_withheld(built):
    _w, _release, zipped = built
    summaries = {r["item"]: r for r in json_rows(zipped, "survey_summaries")}
    assert summaries["overall"]["withheld"] is False
    assert summaries["overall"]["answered"] == 6
    assert summaries["overall"]["mean"] == pytest.approx(23 / 6)
    # nobody answered "visits": withheld, no numbers
    assert summaries["visits"]["withheld"] is True and summaries["visits"]["mean"] is None
    shown = {r["item"] for r in json_rows(zipped, "survey_results")}
    assert "overall" in shown and "visits" not in shown and "comment" not in shown


def _build_queries(media):
    with CaptureQueriesContext(connection) as queries:
        services.build_release()
    return len(queries)


def test_the_build_costs_the_same_queries_however_many_rows(od, media):
    services.build_release()  # the first build looks up what the audit trail caches
    first = _build_queries(media)
    for index in range(15):
        od.municipality(f"T-X{index}", f"Mjesto {index}")
    add_responses(od.public_wave, [{"overall": 3}] * 20)
    od.workspace.members.create(municipality=od.formula, role="member")
    second = _build_queries(media)
    assert second == first
    assert first <= 75, first  # about three per dataset
