import re

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "who", ["admin", "alice", "bob", "olga", "tomo", "charlie", "dana", "erin", "tina"]
)
def test_every_role_signs_in_and_sees_their_dashboard(page, who):
    sign_in(page, who)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    # Each demo user has their own saved language, so check structure rather than English words.
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main .card").first).to_be_visible()
    page.click("form[action='/accounts/logout/'] button")
    expect(page.locator("a[href='/accounts/login/']").first).to_be_visible()


@pytest.mark.parametrize(
    ("language", "nav_text"),
    [
        ("sr", "Општине"),
        ("sr-latn", "Opštine"),
        ("bg", "Общини"),
        ("bs", "Općine"),
        ("hr", "Općine"),
    ],
)
def test_language_switcher_translates_and_remembers(page, language, nav_text):
    page.goto("/municipalities/")
    page.select_option("#language-select", language)
    page.wait_for_load_state()
    expect(page.locator("nav.main-nav")).to_contain_text(nav_text)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_directory_search_across_scripts(page):
    page.goto("/municipalities/")
    for query in ("banja luka", "Banja Luka", "бања лука"):
        page.fill("input[name=q]", query)
        expect(page.locator("#directory-results")).to_contain_text("1 municipality found")
        expect(
            page.locator("#directory-results a[href='/municipalities/BA-BANJA-LUKA/']")
        ).to_be_visible()
    page.select_option("#language-select", "sr")
    page.wait_for_load_state()
    expect(page.locator("#directory-results")).to_contain_text("Бања Лука")


def test_profile_and_map(page):
    page.goto("/municipalities/BA-TUZLA/")
    expect(page.locator("h1")).to_have_text("Tuzla")
    expect(page.locator("svg.mreza-map")).to_be_visible()
    page.goto("/municipalities/map/?country=BA")
    assert page.locator("svg.mreza-map circle").count() >= 140
    page.locator("svg.mreza-map a").first.focus()
    page.click("a[href='/municipalities/BA-MOSTAR/'] >> nth=0", force=True)
    expect(page).to_have_url(re.compile("/municipalities/BA-MOSTAR/$"))


def test_charlie_is_refused_a_private_pages(page):
    sign_in(page, "charlie")
    response = page.goto("/municipalities/BA-BANJA-LUKA/people/")
    assert response.status in (403, 404)
    response = page.goto("/municipalities/BA-BANJA-LUKA/history/")
    assert response.status in (403, 404)
    page.goto("/municipalities/BA-BANJA-LUKA/")
    expect(page.locator("text=People and roles")).to_have_count(0)


def test_coordinator_edits_and_sees_history(page):
    sign_in(page, "alice")
    with page.expect_navigation():
        page.select_option("#language-select", "sr-latn")
    page.goto("/municipalities/BA-BANJA-LUKA/edit/")
    page.fill("textarea[name=description]", "Учимо једни од других.")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".prose")).to_contain_text("Učimo jedni od drugih.")
    page.goto("/municipalities/BA-BANJA-LUKA/history/")
    expect(page.locator("table")).to_contain_text("alice@mreza.demo")
