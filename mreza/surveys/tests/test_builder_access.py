"""Who may open and change the builder's pages: A's people see, its coordinator changes, charlie
(municipality B) sees nothing, anonymous readers are sent to sign in; and the municipality page's
"Citizen surveys" section."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from mreza.surveys.sections import municipality_surveys
from mreza.surveys.services import builder


def _pages(survey, wave, item):
    base = f"/surveys/{survey.pk}"
    return [
        f"{base}/",
        f"{base}/preview/",
        f"{base}/waves/",
        f"{base}/qr.svg",
        f"{base}/qr.png",
        f"{base}/poster/",
    ], [
        f"{base}/edit/",
        f"{base}/translations/",
        f"{base}/items/new/scale/",
        f"{base}/items/{item.pk}/",
        f"{base}/waves/new/",
        f"{base}/waves/{wave.pk}/edit/",
        f"{base}/waves/{wave.pk}/codes/",
        f"{base}/waves/{wave.pk}/codes.csv",
    ]


POSTS = ["new-version/", "items/{item}/delete/", "items/{item}/move/", "waves/{wave}/close/"]


def _posts(survey, wave, item):
    return [f"/surveys/{survey.pk}/" + p.format(item=item.pk, wave=wave.pk) for p in POSTS]


@pytest.fixture
def urls(survey_world):
    survey, wave = survey_world.survey, survey_world.wave
    item = survey.items.get(code="overall")
    seeing, changing = _pages(survey, wave, item)
    return seeing, changing, _posts(survey, wave, item)


def test_anonymous_readers_are_sent_to_sign_in(client, urls):
    seeing, changing, posts = urls
    for url in [
        *seeing,
        *changing,
        "/municipalities/T-A/surveys/",
        "/municipalities/T-A/surveys/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in posts:
        assert client.post(url).status_code == 302, url


def test_charlie_of_another_municipality_finds_nothing(client, survey_world, urls):
    client.force_login(survey_world.charlie)
    seeing, changing, posts = urls
    for url in [*seeing, *changing]:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    page = client.get("/municipalities/T-A/surveys/")
    assert page.status_code == 200 and "/surveys/" + str(survey_world.survey.pk) not in (
        page.content.decode()
    )
    assert client.get("/municipalities/T-A/surveys/new/").status_code == 403
    survey_world.wave.refresh_from_db()
    assert survey_world.wave.status == "open"


def test_bob_of_the_municipality_sees_but_changes_nothing(client, survey_world, urls):
    client.force_login(survey_world.bob)
    seeing, changing, posts = urls
    for url in seeing:
        assert client.get(url).status_code == 200, url
    for url in changing:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url).status_code == 403, url
    page = client.get(f"/surveys/{survey_world.survey.pk}/").content.decode()
    assert "/items/new/" not in page and "Settings" not in page
    listing = client.get("/municipalities/T-A/surveys/").content.decode()
    assert f"/surveys/{survey_world.survey.pk}/" in listing
    assert "/surveys/new/" not in listing


def test_alice_may_open_every_page(client, survey_world, urls):
    client.force_login(survey_world.alice)
    seeing, changing, _posts = urls
    for url in [*seeing, *changing[:-1]]:  # codes.csv: only right after making codes
        assert client.get(url).status_code == 200, url
    listing = client.get("/municipalities/T-A/surveys/").content.decode()
    assert "/municipalities/T-A/surveys/new/" in listing


def test_public_results_let_charlie_see_the_survey_but_not_change_it(client, survey_world):
    survey = survey_world.survey
    survey.results_public = True
    survey.save()
    client.force_login(survey_world.charlie)
    assert client.get(f"/surveys/{survey.pk}/").status_code == 200
    assert client.get(f"/surveys/{survey.pk}/edit/").status_code == 403


def _section(user, municipality):
    request = RequestFactory().get("/")
    request.user = user
    return municipality_surveys(request, municipality)


def test_the_profile_section_lists_the_surveys_for_those_who_may_see_them(survey_world):
    world = survey_world
    newer = builder.new_version(world.survey, world.alice)
    context = _section(world.alice, world.a)
    assert [s.pk for s, _title in context["citizen_surveys"]] == [newer.pk]
    assert context["may_start_survey"]
    html = render_to_string(
        "surveys/survey_profile_section.html", {**context, "municipality": world.a}
    )
    assert "Citizen surveys" in html and f"/surveys/{newer.pk}/" in html
    assert "/municipalities/T-A/surveys/new/" in html
    bob = _section(world.bob, world.a)
    assert len(bob["citizen_surveys"]) == 1 and not bob["may_start_survey"]
    html = render_to_string("surveys/survey_profile_section.html", {**bob, "municipality": world.a})
    assert "/surveys/new/" not in html
    charlie = _section(world.charlie, world.a)
    assert not charlie["citizen_surveys"] and not charlie["may_start_survey"]
    html = render_to_string(
        "surveys/survey_profile_section.html", {**charlie, "municipality": world.a}
    )
    assert "Citizen surveys" not in html


def test_the_profile_section_costs_anonymous_readers_nothing(
    survey_world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert _section(AnonymousUser(), survey_world.a) == {}
