"""Serbian text in the script the request asks for, as the pages show it: `sr-Latn` (and the
project's `sr-latn`, `sr-latn-ijekavsk`) reads Latin, `sr` / `sr-Cyrl` Cyrillic, any other
language the text as typed. The ETag differs from one language to another; `Vary` says so."""

import pytest
from django.utils import translation

from mreza.api.public.common import text
from mreza.api.scripts import shown_html
from mreza.api.tests.public_fixtures import _fresh_rate_limits, get_json  # noqa: F401
from mreza.api.tests.test_private_world import bearer
from mreza.events.tests.conftest import ev  # noqa: F401 (fixture)
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db
pytest_plugins = ("mreza.api.tests.test_private_world",)
URL = "/api/v1/practices"


@pytest.fixture
def practices(world):
    world.cyrillic = make_practice(
        world.a,
        "Управљање отпадом у граду",
        summary="Одвојено сакупљање отпада.",
        actions="<p>Нове <strong>посуде</strong> у насељима.</p>",
        contact_name="Ана Анић",
    )
    world.latin = make_practice(
        world.b,
        "Čišćenje obale rijeke",
        summary="Volonteri i komunalno preduzeće.",
        language="sr",
    )
    return world


def _detail(client, practice, language):
    return get_json(client, f"{URL}/{practice.pk}", **{"Accept-Language": language})


@pytest.mark.parametrize("language", ["sr-Latn", "sr-latn", "sr-Latn-BA", "sr-latn-ijekavsk"])
def test_cyrillic_practice_read_in_latin(practices, client, language):
    body = _detail(client, practices.cyrillic, language)
    assert body["title"] == "Upravljanje otpadom u gradu"
    assert body["summary"] == "Odvojeno sakupljanje otpada."
    assert body["contact"]["name"] == "Ana Anić"
    # the text of the rich HTML, never its tags
    assert body["actions_html"] == "<p>Nove <strong>posude</strong> u naseljima.</p>"
    listed = get_json(client, URL, **{"Accept-Language": language})["results"]
    assert "Upravljanje otpadom u gradu" in [p["title"] for p in listed]
    # the municipality's official name stays as the registry has it
    assert body["municipality"]["name"] == practices.a.name


@pytest.mark.parametrize("language", ["sr", "sr-Cyrl", "sr-Cyrl-RS", "sr-ijekavsk"])
def test_latin_practice_read_in_cyrillic(practices, client, language):
    body = _detail(client, practices.latin, language)
    assert body["title"] == "Чишћење обале ријеке"
    assert body["summary"] == "Волонтери и комунално предузеће."
    assert _detail(client, practices.cyrillic, language)["title"] == "Управљање отпадом у граду"


@pytest.mark.parametrize("language", ["en", "bs", "hr", "bg"])
def test_other_languages_get_the_text_as_typed(practices, client, language):
    assert _detail(client, practices.cyrillic, language)["title"] == "Управљање отпадом у граду"
    assert _detail(client, practices.latin, language)["title"] == "Čišćenje obale rijeke"


def test_etag_differs_by_language_and_vary_says_so(practices, client):
    latin = client.get(f"{URL}/{practices.cyrillic.pk}", HTTP_ACCEPT_LANGUAGE="sr-Latn")
    cyrillic = client.get(f"{URL}/{practices.cyrillic.pk}", HTTP_ACCEPT_LANGUAGE="sr")
    assert latin["ETag"] != cyrillic["ETag"]
    assert "Accept-Language" in latin["Vary"] and "Accept-Language" in cyrillic["Vary"]
    # the Latin ETag does not validate the Cyrillic answer; its own language's does
    again = client.get(
        f"{URL}/{practices.cyrillic.pk}",
        HTTP_ACCEPT_LANGUAGE="sr",
        HTTP_IF_NONE_MATCH=latin["ETag"],
    )
    assert again.status_code == 200 and again.json()["title"] == "Управљање отпадом у граду"
    same = client.get(
        f"{URL}/{practices.cyrillic.pk}",
        HTTP_ACCEPT_LANGUAGE="sr-Latn",
        HTTP_IF_NONE_MATCH=latin["ETag"],
    )
    assert same.status_code == 304


def test_etag_differs_by_language_even_for_the_same_body(world, client):
    # an empty list says the same in every language; its representation is still per language
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    bosnian = client.get(URL, HTTP_ACCEPT_LANGUAGE="bs")
    assert english.content == bosnian.content
    assert english["ETag"] != bosnian["ETag"]


def test_event_texts_follow_the_script(ev, client):  # noqa: F811 (the fixture imported above)
    url = f"/api/v1/events/{ev.conference.pk}"
    body = get_json(client, url, **{"Accept-Language": "sr-Latn"})
    assert body["title"] == "Godišnja konferencija"
    assert body["place"] == "Banja Luka"
    (session,) = body["programme"]
    assert session["title"] == "Otvaranje" and session["room"] == "Sala 1"
    assert session["speakers"][0]["name"] == "Dana Ilić"
    assert get_json(client, url, **{"Accept-Language": "en"})["title"] == "Годишња конференција"


def test_multilingual_text_in_the_requested_script():
    typed_in_latin = {"en": "Citizen satisfaction", "sr": "Zadovoljstvo građana"}
    with translation.override("sr"):
        assert text(typed_in_latin) == "Задовољство грађана"
    with translation.override("sr-latn"):
        assert text({"sr": "Задовољство грађана"}) == "Zadovoljstvo građana"
    with translation.override("en"):
        assert text(typed_in_latin) == "Citizen satisfaction"


def test_html_keeps_its_tags_and_entities():
    with translation.override("sr"):
        html = '<p><a href="https://example.org/a">veza</a> &amp; tekst</p>'
        assert shown_html(html) == '<p><a href="https://example.org/a">веза</a> &amp; текст</p>'


def test_the_token_api_follows_the_script_too(aw, client):
    aw.activity.title = "Набавка посуда"
    aw.activity.save(update_fields=["title"])
    url = f"/api/v1/private/workspaces/{aw.workspace.pk}/activities"
    auth = bearer(aw.tokens["alice"])
    latin = client.get(url, HTTP_ACCEPT_LANGUAGE="sr-Latn", **auth).json()["results"]
    assert "Nabavka posuda" in [a["title"] for a in latin]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **auth).json()["results"]
    assert "Набавка посуда" in [a["title"] for a in english]
