"""The satisfaction template and making a survey (issue 12, item 3)."""

import re

import pytest

from mreza.core.models import AuditEntry
from mreza.progress.models import Workspace
from mreza.progress.tests.conftest import ws  # noqa: F401  (the fixture)
from mreza.surveys.models import Item, Survey
from mreza.surveys.services import builder, catalogue

CODES = ["services", "overall", "trust", "age", "gender", "settlement", "comment"]
LANGUAGES = {"en", "bs", "hr", "sr", "bg"}
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _texts(entry):
    """Every multilingual text of a template item."""
    yield entry["text"]
    if entry.get("help_text"):
        yield entry["help_text"]
    for key in ("options", "rows"):
        for one in entry.get(key, []):
            yield one["text"]
    yield from entry.get("scale_labels", {}).values()


def test_the_template_has_every_text_in_five_languages_and_serbian_in_cyrillic():
    data = catalogue.load("satisfaction")
    texts = [data["title"], data["introduction"], data["thanks"]]
    for entry in data["items"]:
        texts += list(_texts(entry))
    for text in texts:
        assert set(text) == LANGUAGES, text
        assert all(value.strip() for value in text.values()), text
        assert CYRILLIC.search(text["sr"]) or not re.search("[A-Za-z]", text["sr"]), text
        assert not CYRILLIC.search(text["bs"] + text["hr"] + text["en"]), text


def test_a_survey_from_the_template_has_its_items_with_stable_codes(world):
    survey = builder.create_survey(
        world.a, world.alice, template="satisfaction", languages=["sr", "bs", "en"]
    )
    items = list(survey.items.order_by("position"))
    assert [i.code for i in items] == CODES
    assert [i.position for i in items] == list(range(7))
    by_code = {i.code: i for i in items}
    overall = by_code["overall"]
    assert (overall.kind, overall.scale_min, overall.scale_max, overall.required) == (
        Item.Kind.SCALE,
        1,
        5,
        True,
    )
    assert overall.text["en"] == "Overall, how satisfied are you with the work of the municipality?"
    assert overall.scale_labels["min"]["en"] == "Very dissatisfied"
    assert overall.scale_labels["max"]["en"] == "Very satisfied"
    assert by_code["services"].kind == Item.Kind.MATRIX
    assert [r["code"] for r in by_code["services"].rows] == [
        "administration",
        "communal",
        "roads",
        "information",
        "staff",
        "speed",
    ]
    assert [o["code"] for o in by_code["trust"].options] == ["yes", "no", "dont-know"]
    assert "prefer-not" in [o["code"] for o in by_code["gender"].options]
    assert [o["code"] for o in by_code["settlement"].options] == ["urban", "rural"]
    demographic = {i.code for i in items if i.is_demographic}
    assert demographic == {"age", "gender", "settlement"}
    assert not any(by_code[c].required for c in demographic)
    assert by_code["comment"].kind == Item.Kind.TEXT
    assert survey.template == "satisfaction"
    assert survey.languages == ["sr", "bs", "en"]
    assert survey.title["sr"] == "Анкета о задовољству грађана"
    assert survey.introduction["bs"] and survey.thanks["bg"]
    assert survey.created_by == world.alice
    assert len(survey.public_token) >= 20


def test_the_page_makes_a_survey_from_the_template_with_the_languages_chosen(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/surveys/new/",
        {"template": "satisfaction", "languages": ["bs", "sr"], "main_language": "sr"},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/"
    assert survey.languages == ["sr", "bs"]
    assert survey.items.count() == 7
    assert survey.municipality == world.a
    assert AuditEntry.objects.filter(action="create", object_id=str(survey.pk)).exists()


def test_an_empty_survey_needs_a_title_and_a_language(world, client):
    client.force_login(world.alice)
    response = client.post("/municipalities/T-A/surveys/new/", {"template": "", "title": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one language." in body
    assert "Give the survey a title, or start from the template." in body
    assert not Survey.objects.exists()
    response = client.post(
        "/municipalities/T-A/surveys/new/",
        {"template": "", "title": "Kvalitet vode", "languages": ["bs"], "main_language": "bs"},
    )
    survey = Survey.objects.get()
    assert survey.title == {"bs": "Kvalitet vode"} and survey.items.count() == 0
    assert survey.languages == ["bs"]


def test_the_main_language_comes_first_even_if_it_was_not_ticked(world, client):
    client.force_login(world.alice)
    client.post(
        "/municipalities/T-A/surveys/new/",
        {"template": "satisfaction", "languages": ["en", "hr"], "main_language": "bs"},
    )
    assert Survey.objects.get().languages == ["bs", "hr", "en"]


def test_the_workspace_offered_is_one_of_the_municipalitys(ws, client):  # noqa: F811
    client.force_login(ws.alice)
    page = client.get("/municipalities/T-A/surveys/new/").content.decode()
    assert ws.workspace.title in page
    client.post(
        "/municipalities/T-A/surveys/new/",
        {
            "template": "satisfaction",
            "languages": ["sr"],
            "main_language": "sr",
            "workspace": ws.workspace.pk,
        },
    )
    assert Survey.objects.get().workspace == ws.workspace


def test_a_workspace_the_municipality_is_not_in_is_refused(ws, client):  # noqa: F811
    other = Workspace.objects.create(kind=Workspace.Kind.TWINNING, title="Elsewhere")
    client.force_login(ws.alice)
    response = client.post(
        "/municipalities/T-A/surveys/new/",
        {"template": "satisfaction", "languages": ["sr"], "workspace": other.pk},
    )
    assert response.status_code == 400 and not Survey.objects.exists()


def test_the_service_refuses_no_language(world):
    with pytest.raises(builder.SurveyRefused):
        builder.create_survey(world.a, world.alice, template="satisfaction", languages=[])
