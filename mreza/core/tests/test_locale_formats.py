"""Dates and numbers in the reader's locale, Serbian in the reader's script and variant (issue 7,
items 18 and 20)."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import get_language_info

# One date and one number per UI language, as a reader of that language writes them.
EXPECTED = {
    #                   SHORT_DATE_FORMAT    DATE_FORMAT             number (1 decimal)  population
    "en": ("12/31/2023", "Dec. 31, 2023", "1234.5", "185,042"),
    "bs": ("31. 12. 2023.", "31. decembar 2023.", "1234,5", "185.042"),
    "hr": ("31.12.2023.", "31. prosinca 2023.", "1234,5", "185.042"),
    "sr": ("31.12.2023.", "31. децембар 2023.", "1234,5", "185.042"),
    "sr-latn": ("31.12.2023.", "31. decembar 2023.", "1234,5", "185.042"),
    "sr-ijekavsk": ("31.12.2023.", "31. децембар 2023.", "1234,5", "185.042"),
    "sr-latn-ijekavsk": ("31.12.2023.", "31. decembar 2023.", "1234,5", "185.042"),
    "bg": ("31.12.2023 г.", "31 декември 2023 г.", "1234,5", "185\xa0042"),
}

TEMPLATE = Template(
    '{% load humanize %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}'
    "|{{ n|floatformat:1 }}"
    "|{{ p|intcomma }}"
)


def test_every_ui_language_has_expected_formats():
    assert {code for code, _name in settings.LANGUAGES} == set(EXPECTED)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_date_and_number_in_the_readers_locale(language):
    context = Context({"d": datetime.date(2023, 12, 31), "n": 1234.5, "p": 185042})
    with translation.override(language):
        assert TEMPLATE.render(context).split("|") == list(EXPECTED[language])


def test_bosnian_report_period_reads_as_bosnian(client, world, caf):
    from mreza.assessment.models import Assessment

    Assessment.objects.create(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2023",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
    )
    world.alice.language = "bs"
    world.alice.save(update_fields=["language"])
    client.force_login(world.alice)
    page = client.get("/assessments/").content.decode()
    assert "1. 1. 2023. – 31. 12. 2023." in page
    assert "Jan." not in page


@pytest.mark.parametrize(
    ("language", "expected"), [("bs", "72,5"), ("bg", "72,5"), ("en", "72.5"), ("sr", "70")]
)
def test_chart_numbers_follow_the_locale(language, expected):
    from mreza.assessment.views.report import chart_number

    with translation.override(language):
        assert chart_number(72.46 if expected != "70" else 70.0) == expected


# ----------------------------------------------------------------------------- Serbian variants


def test_the_switcher_names_the_four_serbian_variants(client, db):
    page = client.get("/municipalities/").content.decode()
    for code, name in [
        ("sr", "Српски (ћирилица, екавски)"),
        ("sr-latn", "Srpski (latinica, ekavski)"),
        ("sr-ijekavsk", "Српски (ћирилица, ијекавски)"),
        ("sr-latn-ijekavsk", "Srpski (latinica, ijekavski)"),
    ]:
        assert f'<option value="{code}" lang="{code}">{name}</option>' in page


@pytest.mark.parametrize("code", ["sr-ijekavsk", "sr-latn-ijekavsk"])
def test_django_knows_the_ijekavian_codes(code):
    info = get_language_info(code)
    assert info["code"] == code and not info["bidi"]
    with translation.override(code):
        assert translation.get_language() == code
        assert not translation.get_language_bidi()


def test_switching_to_ijekavian_is_saved_on_the_account(client, world):
    client.force_login(world.bob)
    response = client.post(
        "/i18n/setlang/", {"language": "sr-latn-ijekavsk", "next": "/municipalities/"}
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.language == "sr-latn-ijekavsk"
    page = client.get("/municipalities/")
    assert page["Content-Language"] == "sr-latn-ijekavsk"
    assert "Opštine" in page.content.decode()


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("sr-BA,sr;q=0.9", "sr-ijekavsk"),
        ("sr-Cyrl-BA", "sr-ijekavsk"),
        ("sr-Latn-BA,en;q=0.5", "sr-latn-ijekavsk"),
        ("sr-RS,sr;q=0.9", "sr"),
        ("sr-Latn-RS", "sr-latn"),
        ("bs-BA,sr-BA;q=0.5", "bs"),
        ("de-DE,sr-BA;q=0.5", "sr-ijekavsk"),
    ],
)
def test_browser_serbian_from_bosnia_is_ijekavian(client, db, accept, expected):
    response = client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Content-Language"] == expected


def test_a_cookie_choice_of_ekavian_is_kept_in_bosnia(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    response = client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE="sr-BA")
    assert response["Content-Language"] == "sr"


def test_users_of_bosnian_municipalities_get_ijekavian_serbian(client, world):
    # alice works for a municipality in BA and has not chosen a language: her browser only says
    # "Serbian".
    client.force_login(world.alice)
    assert (
        client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE="sr")["Content-Language"]
        == "sr-ijekavsk"
    )
    assert (
        client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE="sr-Latn")["Content-Language"]
        == "sr-latn-ijekavsk"
    )


def test_an_explicit_ekavian_choice_wins_for_bosnian_users(client, world):
    world.alice.language = "sr"
    world.alice.save(update_fields=["language"])
    client.force_login(world.alice)
    assert client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE="sr-BA")["Content-Language"] == "sr"


def test_users_outside_bosnia_keep_ekavian(client, world):
    from mreza.accounts.models import MunicipalRole
    from mreza.registry.models import Country, Municipality, Region

    serbia = Country.objects.create(code="RS", name="Serbia")
    okrug = Region.objects.create(
        country=serbia, code="T-RS-07", kind="okrug", name="Јужнобачки округ"
    )
    novi_sad = Municipality.objects.create(
        code="T-NS", name="Нови Сад", country=serbia, region=okrug, population=1
    )
    MunicipalRole.objects.create(user=world.dana, municipality=novi_sad, role="staff")
    client.force_login(world.dana)
    assert client.get("/municipalities/", HTTP_ACCEPT_LANGUAGE="sr")["Content-Language"] == "sr"


# ----------------------------------------------------------------------------- the reader's script


@pytest.mark.parametrize(
    ("language", "script"),
    [
        ("sr", "cyrl"),
        ("sr-ijekavsk", "cyrl"),
        ("bg", "cyrl"),
        ("sr-latn", "latn"),
        ("sr-latn-ijekavsk", "latn"),
        ("bs", "latn"),
        ("hr", "latn"),
        ("en", "latn"),
    ],
)
def test_reader_script(language, script):
    from mreza.core.context_processors import reader_script
    from mreza.core.templatetags.mreza import script as to_reader

    assert reader_script(language) == script
    with translation.override(language):
        shown = to_reader("Бања Лука")
    assert shown == ("Бања Лука" if script == "cyrl" else "Banja Luka")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sr", "Оквир"),
        ("sr-ijekavsk", "Оквир"),
        ("sr-latn", "Okvir"),
        ("sr-latn-ijekavsk", "Okvir"),
        ("bs", "Okvir bs"),
    ],
)
def test_framework_texts_for_every_serbian_variant(language, expected):
    from mreza.core.texts import localized

    text = {"en": "Framework", "bs": "Okvir bs", "sr": "Оквир"}
    with translation.override(language):
        assert localized(text) == expected
    assert localized(
        {"en": "Framework", "sr": "Оквир", "sr-ijekavsk": "Оквир ијек."}, "sr-latn-ijekavsk"
    ) == ("Okvir ijek.")


@pytest.fixture
def cyrillic_network(world, caf):
    from mreza.networks.models import GroupingRound, Network, NetworkMembership

    grouping_round = GroupingRound.objects.create(
        organisation=world.association,
        framework=caf,
        title="Круг груписања 2024",
        status="published",
    )
    network = Network.objects.create(
        round=grouping_round, area="6.1", host=world.a, title="Мрежа за управљање људским ресурсима"
    )
    NetworkMembership.objects.create(network=network, municipality=world.a, distance_km=0)
    return network


@pytest.mark.parametrize(
    ("language", "title", "coordinator"),
    [
        ("sr-latn", "Mreža za upravljanje ljudskim resursima", "Savez opština"),
        ("sr-latn-ijekavsk", "Mreža za upravljanje ljudskim resursima", "Savez opština"),
        ("bs", "Mreža za upravljanje ljudskim resursima", "Savez opština"),
        ("sr-ijekavsk", "Мрежа за управљање људским ресурсима", "Савез општина"),
    ],
)
def test_network_title_typed_in_cyrillic_is_shown_in_the_readers_script(
    client, world, cyrillic_network, language, title, coordinator
):
    world.dana.language = language
    world.dana.save(update_fields=["language"])
    client.force_login(world.dana)
    page = client.get(f"/networks/{cyrillic_network.pk}/").content.decode()
    assert f"<h1>{title}</h1>" in page
    assert coordinator in page
    rounds = client.get("/networks/rounds/").content.decode()
    assert ("Krug grupisanja 2024" if title.startswith("M") else "Круг груписања 2024") in rounds


@pytest.mark.parametrize(
    ("language", "label"), [("sr-latn-ijekavsk", "Banja Luka"), ("sr-ijekavsk", "Бања Лука")]
)
def test_round_map_labels_in_the_readers_script(world, cyrillic_network, language, label):
    from mreza.networks.views import _round_map

    evaluation = {"networks": [{"index": 1, "host": world.a.pk, "members": [{"id": world.a.pk}]}]}
    with translation.override(language):
        svg = str(_round_map(cyrillic_network.round, evaluation, {world.a.pk: world.a}))
    assert label in svg
    assert ("Бања Лука" in svg) == (label == "Бања Лука")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("bs", "Network 2 (6.1, meeting in Banja Luka): need 0,75, 235 km to the host"),
        ("en", "Network 2 (6.1, meeting in Banja Luka): need 0.75, 235 km to the host"),
    ],
)
def test_proposal_explanations_in_the_readers_locale(language, expected):
    from mreza.networks.proposal import ALTERNATIVE
    from mreza.networks.views import readable_params

    params = {"index": 2, "area": "6.1", "host": "Бања Лука", "need": "0.75", "km": "235.4"}
    with translation.override(language):
        shown = ALTERNATIVE % readable_params(
            params
        )  # the English text: the figures are what matters here
    assert shown == expected
