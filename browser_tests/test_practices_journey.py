"""Step 5 in the browser (issue 13, "done means"): bob of Banja Luka writes a good practice in
Serbian Latin and submits it; the network coordinator of the association (dana, SOGRS) reviews it
and an expert of the association validates it against the published criteria; Banja Luka's
coordinator (alice) offers help to adopt it; an anonymous visitor finds it by searching in
Cyrillic, opens it, signs in (mirza, coordinator of Tuzla) and asks for the help; dana confirms the
partnership the request made, on the usual step-2 page.

The demo's expert (erin) serves SOGFBIH; if the demo has no expert of SOGRS, this test makes erin
one too, so that the Banja Luka practice has its validator.
"""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import english_page
from mreza.accounts.models import OrganisationRole, User
from mreza.core.roles import OrganisationRoleName
from mreza.practices import demo as practices_demo
from mreza.practices.models import Practice, TransferRequest
from mreza.registry.models import Organisation

pytestmark = pytest.mark.browser

TITLE = "Upravljanje otpadom: zeleni otoci u mjesnim zajednicama"
# the same words typed in Cyrillic, as a visitor from Serbia would
CYRILLIC_QUERY = "зелени отоци управљање отпадом"
TEXT = {
    "summary": "U 12 mjesnih zajednica postavljeni su zeleni otoci za papir, plastiku i staklo.",
    "problem": "Sav otpad odvozio se kao miješani, a kontejneri su se prepunjavali vikendom.",
    "actions": "<p>Postavljeno je 48 zelenih otoka i uveden odvoz dva puta sedmično.</p>",
    "results": "Odvojeno je 410 tona otpada u prvoj godini; pritužbe građana su prepolovljene.",
    "costs": "Kontejneri 96.000 KM iz budžeta Grada.",
    "prerequisites": "Komunalno preduzeće i otkupljivač sekundarnih sirovina u regiji.",
    "contact_name": "Petar Savić, stručni saradnik za komunalne poslove",
}
OFFER = "Studijska posjeta zelenim otocima i plan rasporeda kontejnera."
ASK = "Tuzla želi uvesti zelene otoke u pet mjesnih zajednica."


def person(browser, live_server, who=None):
    """A browser of `who` (signed in, pages in English), or of an anonymous visitor."""
    return english_page(browser, live_server, who)


def sogrs_expert():
    sogrs = Organisation.objects.get(code="SOGRS")
    role = OrganisationRole.objects.filter(
        organisation=sogrs, role=OrganisationRoleName.EXPERT
    ).first()
    if role is None:
        role = OrganisationRole.objects.create(
            user=User.objects.get(email="erin@mreza.demo"),
            organisation=sogrs,
            role=OrganisationRoleName.EXPERT,
        )
    return role.user.email.split("@")[0]


def write_and_submit(bob):
    bob.goto("/practices/mine/")
    bob.get_by_role("link", name=re.compile("New practice of Banja Luka")).click()
    expect(bob.get_by_role("heading", level=1)).to_have_text("New good practice")
    # the practice form (the page's header has a language switcher of its own)
    form = bob.locator("form[enctype='multipart/form-data']")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=language]").select_option("sr")
    form.locator("input[name=year]").fill("2025")
    for name, text in TEXT.items():
        form.locator(f"[name={name}]").fill(text)
    row = {"label": "Odvojeni otpad", "unit": "t/god", "before": "0", "after": "410"}
    row.update(before_year="2023", after_year="2025")
    for name, value in row.items():
        form.locator(f"input[name=figures-0-{name}]").fill(value)
    form.get_by_role("button", name="Save", exact=True).click()
    expect(bob.locator(".messages")).to_contain_text("Saved as a draft.")
    practice = Practice.objects.get(title=TITLE)
    assert practice.language == "sr" and practice.figures.count() == 1
    bob.get_by_role("button", name="Submit for review").click()
    expect(bob.locator(".status")).to_contain_text("submitted for review")
    return practice


def review(dana, practice):
    dana.goto("/practices/review/")
    dana.locator("#to-review-h + table").get_by_role("link", name=TITLE).click()
    dana.get_by_label("Pass it on to an expert for validation").check()
    dana.fill("textarea[name=comment]", "Jasno i potpuno; šaljem ekspertu.")
    dana.get_by_role("button", name="Send my decision").click()
    practice.refresh_from_db()
    assert practice.status == Practice.Status.REVIEWED


def validate(expert, practice):
    expert.goto("/practices/review/")
    expert.locator("#to-validate-h + table").get_by_role("link", name=TITLE).click()
    boxes = expert.locator("input[type=checkbox][name^=criterion_]")
    assert boxes.count() == 5
    for i in range(boxes.count()):
        boxes.nth(i).check()
    expert.get_by_label("Validate and publish").check()
    expert.get_by_role("button", name="Send my decision").click()
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED and practice.revision == 1


def offer_help(alice, practice):
    alice.goto(f"/practices/{practice.pk}/")
    alice.get_by_role("link", name="Offer help to adopt it").click()
    alice.fill("textarea[name=description]", OFFER)
    alice.get_by_role("button", name="Save the offer").click()
    expect(alice.locator(".messages")).to_contain_text("the offer is shown")


def find_in_cyrillic(visitor, practice):
    visitor.goto("/practices/")
    visitor.fill("input[name=q]", CYRILLIC_QUERY)
    visitor.press("input[name=q]", "Enter")
    found = visitor.locator(".practice-card-title a")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("zeleni otoci")
    found.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert visitor.url.endswith(f"/practices/{practice.pk}/")
    expect(visitor.get_by_text(OFFER)).to_be_visible()
    # nobody signed in: no way to ask yet
    expect(visitor.get_by_role("link", name="Ask for help to adopt it")).to_have_count(0)


def ask_after_signing_in(visitor, practice):
    visitor.goto(f"/accounts/login/?next=/practices/{practice.pk}/")
    visitor.fill("input[name=login]", "mirza@mreza.demo")
    visitor.fill("input[name=password]", "mreza-demo-2026")
    visitor.click("form button[type=submit]")
    visitor.wait_for_url(re.compile(rf"/practices/{practice.pk}/$"))
    with visitor.expect_navigation():
        visitor.select_option("#language-select", "en")
    visitor.get_by_role("link", name="Ask for help to adopt it").click()
    visitor.fill("textarea[name=message]", ASK)
    visitor.get_by_role("button", name="Send the request").click()
    expect(visitor.locator(".messages")).to_be_visible()
    asked = TransferRequest.objects.get(offer__practice=practice)
    assert asked.municipality.code == "BA-TUZLA" and asked.status == "pending"
    assert asked.partnership.mentor_id == practice.municipality_id
    return asked


def confirm_partnership(dana, asked):
    partnership = asked.partnership
    dana.goto(f"/networks/rounds/{partnership.round_id}/#answers")
    row = dana.locator("#answers tr", has_text="Banja Luka → Tuzla").filter(
        has=dana.locator(f"form[action$='/partnerships/{partnership.pk}/confirm/']")
    )
    row.get_by_role("button", name="Confirm this partnership").click()
    expect(dana.locator(".messages")).to_contain_text("The partnership is confirmed")
    partnership.refresh_from_db()
    assert partnership.confirmed_at is not None
    assert partnership.confirmed_by.email == "dana@mreza.demo"


def test_a_practice_from_writing_to_a_confirmed_transfer(browser, live_server, demo):
    # the journey among the demo library's practices (a no-op once load_demo loads them): its
    # queues, the Tuzla request already waiting in the same round, the search among forty
    practices_demo.load()
    expert_login = sogrs_expert()
    bob = person(browser, live_server, "bob")
    practice = write_and_submit(bob)
    dana = person(browser, live_server, "dana")
    review(dana, practice)
    validate(person(browser, live_server, expert_login), practice)
    offer_help(person(browser, live_server, "alice"), practice)
    visitor = person(browser, live_server)
    find_in_cyrillic(visitor, practice)
    asked = ask_after_signing_in(visitor, practice)
    confirm_partnership(dana, asked)
    # the author's page shows the whole way: submitted, reviewed, validated
    bob.goto(f"/practices/{practice.pk}/")
    expect(bob.locator(".review-steps li")).to_have_count(3)
