"""A network coordinator runs a grouping round on the demo data, moves a member, publishes;
a municipality's coordinator accepts."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser_tests.conftest import PASSWORD, sign_in
from browser_tests.test_accessibility import serious

pytestmark = pytest.mark.browser


def person(browser, live_server, who):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, who)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    return page


def pick_move(round_):
    """A member that can move to another network without breaking a rule (else any member)."""
    from mreza.networks.services import people_of

    people, _names = people_of(round_)
    params, nets = round_.params, round_.proposal["networks"]
    for i, net in enumerate(nets):
        if len(net["members"]) <= params["min_size"]:
            continue
        for j, other in enumerate(nets):
            if j != i and len(other["members"]) < params["max_size"]:
                for member in net["members"]:
                    if people[member]["needs"].get(other["area"], 0) > 0:
                        return i, member, j
    return 0, nets[0]["members"][0], 1


def test_coordinator_groups_publishes_and_a_municipality_accepts(browser, live_server, demo):
    from mreza.accounts.models import MunicipalRole, User
    from mreza.networks.models import GroupingRound, NetworkMembership

    dana = person(browser, live_server, "dana")
    dana.click("nav.main-nav >> text=Grouping")
    dana.click("text=New grouping round")
    dana.fill("input[name=title]", "Republika Srpska 2025")
    dana.select_option("select[name=association]", "SOGRS")
    dana.fill("input[name=min_size]", "4")
    dana.click("text=Propose networks and partnerships")
    expect(dana.locator("h1")).to_have_text("Republika Srpska 2025")
    expect(dana.locator("text=Quality of the proposal")).to_be_visible(timeout=60000)
    expect(dana.locator("svg.mreza-map")).to_be_visible()
    assert not serious(Axe().run(dana))
    round_ = GroupingRound.objects.latest("id")
    assert round_.status == "proposed"
    network, member, target = pick_move(round_)
    form = dana.locator(
        f"form:has(input[name=member][value='{member}']):has(input[name=network][value='{network}'])"
    )
    form.locator("select[name=target]").select_option(str(target))
    form.locator("button[value=move]").click()
    dana.wait_for_load_state()
    round_.refresh_from_db()
    assert member in round_.proposal["networks"][target]["members"]
    if dana.locator("text=Broken constraints").count():
        form = dana.locator(
            f"form:has(input[name=member][value='{member}']):has(input[name=network][value='{target}'])"
        )
        form.locator("select[name=target]").select_option(str(network))
        form.locator("button[value=move]").click()
        dana.wait_for_load_state()
    # most demo municipalities have no coordinator yet: the page lists them and asks to confirm
    expect(dana.locator("#uninvitable")).to_contain_text("cannot be invited")
    dana.click("text=Publish and invite the municipalities")
    expect(dana.locator(".messages")).to_contain_text("Confirm that you want to publish anyway")
    round_.refresh_from_db()
    assert round_.status == "proposed"
    dana.check("#without-coordinator-ok")
    dana.click("text=Publish and invite the municipalities")
    expect(dana.locator(".messages")).to_contain_text("Published")
    expect(dana.locator("button[value=rerun]")).to_have_count(0)

    # a place in this round's networks (the demo has confirmed networks of its own)
    membership = (
        NetworkMembership.objects.filter(network__round=round_)
        .select_related("municipality")
        .order_by("id")
        .first()
    )
    coordinator = MunicipalRole.objects.filter(
        municipality=membership.municipality, role="coordinator"
    ).first()
    if coordinator is None:
        user = User.objects.create_user(
            f"coord-{membership.municipality.code.lower()}@mreza.demo",
            PASSWORD,
            full_name="Koordinator",
            language="en",
        )
        MunicipalRole.objects.create(
            user=user, municipality=membership.municipality, role="coordinator"
        )
        who = user.email.split("@")[0]
    else:
        who = coordinator.user.email.split("@")[0]
    municipality = person(browser, live_server, who)
    municipality.click("nav.main-nav >> text=Networks")
    # "My networks" leads to the invitations still waiting for an answer
    municipality.click("p.notice >> a[href='/networks/mine/']")
    card = municipality.locator(
        "article", has=municipality.locator(f"text={membership.network.title}")
    ).first
    card.locator("label", has_text="Accept").click()
    card.locator("button[type=submit]").click()
    expect(municipality.locator(".messages")).to_contain_text("Your answer is recorded")
    assert not serious(Axe().run(municipality))
    membership.refresh_from_db()
    assert membership.status == "accepted"
    dana.goto(f"/networks/rounds/{round_.pk}/")
    expect(dana.locator("#ans-h")).to_have_text("Answers")
    assert re.search("accepted", dana.content())
    assert not serious(Axe().run(dana))
    # the coordinator confirms the network: its answers are final from now on
    card = dana.locator("article", has=dana.locator(f"#ans-net-{membership.network_id}"))
    card.locator("button[value=confirm]").click()
    expect(dana.locator(".messages")).to_contain_text("The network is confirmed")
    membership.network.refresh_from_db()
    assert membership.network.confirmed_at is not None
