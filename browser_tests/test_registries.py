"""Three registries in the browser: a Bulgarian coordinator in Bulgarian finds Smolyan by its
Latin name and joins a grouping round of Bulgarian municipalities; a Serbian user sees names in the
chosen script."""

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import sign_in

pytestmark = pytest.mark.browser


def person(browser, live_server, who, language=None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, who)
    if language:
        with page.expect_navigation():
            page.select_option("#language-select", language)
    return page


def test_bulgarian_coordinator_finds_smolyan_and_joins_a_bulgarian_round(
    browser, live_server, demo
):
    from mreza.networks.models import GroupingRound, NetworkMembership
    from mreza.registry.models import Municipality

    maria = person(browser, live_server, "maria")
    expect(maria.locator("html")).to_have_attribute("lang", "bg")
    expect(maria.locator("nav.main-nav")).to_contain_text("Общини")
    maria.click("nav.main-nav >> text=Общини")
    maria.fill("input[name=q]", "Smolyan")
    maria.press("input[name=q]", "Enter")
    maria.wait_for_load_state()
    rows = maria.locator("#directory-results tbody")
    expect(rows).to_contain_text("Смолян")
    expect(rows).not_to_contain_text("Smolyan")  # Bulgarian readers see Cyrillic
    maria.goto("/municipalities/?q=smolian")
    expect(maria.locator("#directory-results tbody")).to_contain_text("Смолян")
    maria.click("#directory-results tbody >> text=Смолян")
    expect(maria.locator("h1")).to_have_text("Смолян")
    expect(maria.locator("#population")).to_contain_text("2023")

    ivan = person(browser, live_server, "ivan", "en")
    ivan.click("nav.main-nav >> text=Grouping")
    ivan.click("text=New grouping round")
    ivan.fill("input[name=title]", "Rhodopes 2025")
    ivan.select_option("select[name=country]", "BG")
    ivan.fill("input[name=min_size]", "2")
    ivan.fill("input[name=max_size]", "10")
    ivan.click("text=Propose networks and partnerships")
    expect(ivan.locator("h1")).to_have_text("Rhodopes 2025")
    expect(ivan.locator("text=Quality of the proposal")).to_be_visible(timeout=60000)
    round_ = GroupingRound.objects.latest("id")
    assert round_.filters == {"country": "BG"}
    members = {int(m) for net in round_.proposal["networks"] for m in net["members"]}
    countries = set(
        Municipality.objects.filter(pk__in=members).values_list("country__code", flat=True)
    )
    assert members and countries == {"BG"}, countries
    if ivan.locator(
        "#without-coordinator-ok"
    ).count():  # the neighbours have no coordinator in the demo
        ivan.check("#without-coordinator-ok")
    ivan.click("text=Publish and invite the municipalities")
    expect(ivan.locator(".messages")).to_contain_text("Published")

    invitation = NetworkMembership.objects.filter(
        network__round=round_, municipality__code="BG-SML31"
    ).first()
    assert invitation is not None, "Smolyan was not invited"
    maria.click("nav.main-nav >> text=Мрежи")
    maria.click("p.notice >> a[href='/networks/mine/']")  # the invitations waiting
    card = maria.locator("article", has=maria.locator(f"text={invitation.network.title}")).first
    card.locator("input[name=answer][value=accept]").check()
    card.locator("button[type=submit]").click()
    maria.wait_for_load_state()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_serbian_users_see_serbian_names_in_their_script(browser, live_server, demo):
    milica = person(browser, live_server, "milica")
    expect(milica.locator("html")).to_have_attribute("lang", "sr")
    milica.goto("/municipalities/?q=kragujevac")
    expect(milica.locator("#directory-results tbody")).to_contain_text("Крагујевац")
    expect(milica.locator("#directory-results tbody")).to_contain_text("Шумадијски")
    nikola = person(browser, live_server, "nikola")
    nikola.goto("/municipalities/?q=Крагујевац")
    expect(nikola.locator("#directory-results tbody")).to_contain_text("Kragujevac")
    expect(nikola.locator("#directory-results tbody")).not_to_contain_text("Крагујевац")
    nikola.goto("/municipalities/map/")
    expect(nikola.locator("#map-country")).to_have_value("RS")
    expect(nikola.locator(".unplaced")).to_contain_text("Medijana")


def test_new_registry_pages_have_no_serious_accessibility_violations(browser, live_server, demo):
    from axe_playwright_python.sync_playwright import Axe

    from browser_tests.test_accessibility import serious

    admin = person(browser, live_server, "admin")
    axe, found = Axe(), {}
    for url in (
        "/municipalities/data-quality/",
        "/municipalities/map/?country=RS",
        "/municipalities/map/?country=BG",
        "/municipalities/BG-SML31/",
        "/municipalities/RS-GO-NOVI-SAD/",
        "/municipalities/?country=RS&region=RS-R1",
    ):
        admin.goto(url)
        found[url] = serious(axe.run(admin))
    assert not any(found.values()), {u: v for u, v in found.items() if v}
    admin.goto("/municipalities/data-quality/")
    row = admin.locator("tr", has=admin.locator("th", has_text="Serbia"))
    expect(row).to_contain_text("175")
