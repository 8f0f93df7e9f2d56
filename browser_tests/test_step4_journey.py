"""Step 4 in the browser (issue 12, "done means"): Banja Luka's coordinator (alice) makes a survey
from the satisfaction template in Serbian and Bulgarian among others, adds a wave and opens it; two
citizens without an account answer the public link on phones, one in Serbian Cyrillic and one in
Bulgarian; alice closes the wave and sees both answers in the results; the network evaluation
the demo closed and published (the "ending" network, where Banja Luka is a member) shows the
re-assessment deltas next to the citizen satisfaction change.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from browser_tests.conftest import english_page
from browser_tests.test_accessibility import serious
from mreza.assessment.models import Consensus
from mreza.core.templatetags.mreza import script
from mreza.evaluation.demo import CLOSED_KEY, CLOSED_TITLE
from mreza.evaluation.models import Evaluation
from mreza.progress.demo import NETWORKS
from mreza.registry.models import Municipality
from mreza.surveys.models import Response, Survey, Wave

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CATALOGUE_TITLE = {"sr": "Анкета о задовољству грађана", "bg": "Проучване на удовлетвореността"}
OVERALL = {
    "sr": "Све у свему, колико сте задовољни радом општине?",
    "bg": "Като цяло, доколко сте доволни от работата на общината?",
}
OFFERED = ["Српски (ћирилица)", "Srpski (latinica)", "Bosanski", "Hrvatski", "Български"]
TRUST_YES = "Да"  # the same word in both languages
WAVE_NAME = "Before the network 2027"
ENDING_TITLE = next(title for key, title, *_rest in NETWORKS if key == CLOSED_KEY)


def coordinator(browser, live_server):
    return english_page(browser, live_server, "alice")


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


def make_survey(alice):
    """From the municipality's page: the template, Serbian (main) with Bulgarian added."""
    alice.goto("/municipalities/BA-BANJA-LUKA/")
    alice.locator("section[aria-labelledby=surveys-h]").get_by_role(
        "link", name="New survey"
    ).click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("New survey")
    alice.get_by_label("Citizen satisfaction (the shared questionnaire)").check()
    alice.get_by_label("Bulgarian", exact=True).check()
    expect(alice.get_by_label("Serbian", exact=True)).to_be_checked()
    alice.select_option("select[name=main_language]", "sr")
    alice.get_by_role("button", name="Make the survey").click()
    expect(alice.locator(".messages")).to_contain_text("The survey is made.")
    # no English text in the survey: the builder shows the main language, Serbian, in the
    # English reader's script (Latin)
    with translation.override("en"):
        heading = script(CATALOGUE_TITLE["sr"])
    expect(alice.get_by_role("heading", level=1)).to_have_text(heading)
    survey = Survey.objects.filter(municipality__code="BA-BANJA-LUKA").latest("id")
    assert survey.template == "satisfaction"
    assert {"sr", "bg"} <= set(survey.languages) and survey.languages[0] == "sr"
    assert {"overall", "services", "trust", "comment"} <= set(
        survey.items.values_list("code", flat=True)
    )
    return survey


def open_wave(alice, survey):
    alice.get_by_role("navigation", name="Survey").get_by_role(
        "link", name="Waves, link and QR code"
    ).click()
    expect(alice.get_by_text("No waves yet.")).to_be_visible()
    alice.get_by_role("link", name="Add a wave").click()
    alice.get_by_label("Name").fill(WAVE_NAME)
    alice.get_by_role("button", name="Save").click()
    expect(alice.locator(".messages")).to_contain_text("Saved.")
    row = alice.get_by_role("row").filter(has_text=WAVE_NAME)
    status = row.get_by_role("cell").nth(3)
    expect(status).to_have_text("not yet open")
    row.get_by_role("button", name="Open").click()
    expect(alice.locator(".messages")).to_contain_text(f"The wave “{WAVE_NAME}” is open")
    expect(status).to_have_text("open")
    expect(alice.get_by_text(f"The link answers the open wave “{WAVE_NAME}”.")).to_be_visible()
    link = alice.get_by_role("textbox", name="Public link").input_value()
    assert link.endswith(f"/s/{survey.public_token}/"), link
    return link


def answer_on_phone(browser, link, ui, chooser, overall):
    """A citizen without an account opens the link on a phone, picks the language `ui` in the
    survey's chooser (link `chooser`) and answers; returns the answer page's axe findings."""
    language = "sr" if ui.startswith("sr") else ui
    context = browser.new_context(locale="en-GB", **PHONE)
    phone = context.new_page()
    phone.set_default_timeout(30000)
    try:
        phone.goto(link)
        # the page opens in the survey's main language; its chooser offers the survey's
        # languages only, Serbian in both scripts
        expect(phone.locator("html")).to_have_attribute("lang", re.compile("^sr"))
        chooser_nav = phone.get_by_role(
            "navigation", name=in_language("sr-ijekavsk", "Language of the survey")
        )
        expect(chooser_nav.get_by_role("link")).to_have_text(OFFERED)
        chooser_nav.get_by_role("link", name=chooser).click()
        expect(phone.locator("html")).to_have_attribute("lang", ui)
        chooser_nav = phone.get_by_role(
            "navigation", name=in_language(ui, "Language of the survey")
        )
        expect(chooser_nav.get_by_role("link", name=chooser)).to_have_attribute(
            "aria-current", "true"
        )
        expect(phone.get_by_role("heading", level=1)).to_contain_text(CATALOGUE_TITLE[language])
        question = phone.get_by_role("group", name=re.compile(re.escape(OVERALL[language])))
        expect(question).to_be_visible()
        # laid out at the phone's width (a page without a viewport tag would be 980 px wide)
        assert phone.evaluate("window.innerWidth") == PHONE["viewport"]["width"]
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{language}: {overflow}px of horizontal scroll"
        findings = serious(Axe().run(phone))

        # the ends of the scale carry their label ("5 – …") for screen readers
        question.get_by_role("radio", name=re.compile(rf"^{overall}( –|$)")).check()
        phone.locator("#q-trust").get_by_role("radio", name=TRUST_YES, exact=True).check()
        phone.locator("#q-services").get_by_role("group").first.get_by_role(
            "radio", name="4", exact=True
        ).check()
        phone.get_by_role("button", name=in_language(language, "Send my answers")).click()
        expect(phone).to_have_url(re.compile(r"/thanks/"))
        expect(phone.get_by_role("status")).to_contain_text(
            "Хвала!" if language == "sr" else "Благодарим ви!"
        )
        return findings
    finally:
        context.close()


def close_and_see_results(alice, survey):
    alice.goto(f"/surveys/{survey.pk}/waves/")
    alice.once("dialog", lambda dialog: dialog.accept())
    alice.get_by_role("row").filter(has_text=WAVE_NAME).get_by_role("button", name="Close").click()
    expect(alice.locator(".messages")).to_contain_text(f"The wave “{WAVE_NAME}” is closed.")
    wave = survey.waves.get(name=WAVE_NAME)
    assert wave.status == Wave.Status.CLOSED

    alice.get_by_role("navigation", name="Survey").get_by_role("link", name="Results").click()
    expect(alice.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(alice.locator(".results-facts")).to_contain_text("2 responses")
    expect(alice.locator(".results-facts")).to_contain_text("online 2, on paper 0")
    overall = alice.locator("#item-overall")
    expect(overall).to_contain_text("2 answers")
    expect(overall.locator(".chart svg")).to_have_count(1)
    expect(overall).to_contain_text("Mean 4.50")
    # the distribution of the yes/no question: both said yes
    trust = alice.locator("#item-trust")
    yes = trust.get_by_role("row").filter(has=alice.get_by_role("rowheader", name="Yes"))
    expect(yes.get_by_role("cell").first).to_have_text("2")


def shown(score):
    """A score as the report writes it (floatformat:"-1")."""
    return re.escape(f"{float(score):.1f}".removesuffix(".0"))


def signed(change):
    return re.escape(("+" if change > 0 else "") + f"{float(change):.1f}".removesuffix(".0"))


def score_deltas(evaluation, code):
    """(subcriterion, baseline score, re-assessment score, change) of the member's
    re-assessment, from the consensus scores in the database."""
    part = evaluation.members.get(member__municipality__code=code)
    reassessment = part.reassessment
    assert reassessment is not None and reassessment.baseline_id is not None

    def scores(assessment):
        rows = Consensus.objects.filter(assessment=assessment)
        return dict(rows.values_list("subcriterion__code", "score"))

    before, after = scores(reassessment.baseline), scores(reassessment)
    return [
        (sub, before[sub], after[sub], after[sub] - before[sub])
        for sub in reassessment.scope
        if sub in before and sub in after
    ]


def overall_means(workspace, code):
    """[(mean, answers)] of the "overall" question in the first and the last closed wave of the
    municipality's survey linked to the workspace (the demo's: one survey, its two waves)."""
    waves = Wave.objects.filter(
        survey__workspace=workspace,
        survey__municipality__code=code,
        status=Wave.Status.CLOSED,
    ).order_by("survey_id", "position", "id")
    found = []
    for wave in (waves.first(), waves.last()):
        given = [a.get("overall") for a in wave.responses.values_list("answers", flat=True)]
        given = [v for v in given if isinstance(v, int)]
        found.append((sum(given) / len(given), len(given)))
    return found


def one_place(value):
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def evaluation_report(alice):
    """From the ending network's workspace, its Self-evaluation tab and the report."""
    evaluation = Evaluation.objects.get(title=CLOSED_TITLE)
    assert evaluation.workspace.network.title == ENDING_TITLE
    assert evaluation.status == Evaluation.Status.CLOSED and evaluation.is_published
    alice.goto(f"/workspaces/{evaluation.workspace_id}/")
    alice.locator("nav.tabs").get_by_role("link", name="Self-evaluation").click()
    row = alice.get_by_role("row").filter(has_text=script(CLOSED_TITLE))
    expect(row).to_contain_text("public")
    row.get_by_role("link", name="Report").click()
    expect(alice).to_have_url(re.compile(rf"/evaluations/{evaluation.pk}/report/$"))

    changes = alice.locator("section[aria-labelledby=report-changes]")
    expect(changes.get_by_role("heading", level=2)).to_have_text(
        "Change since the baseline: scores and citizen satisfaction"
    )
    expect(
        changes.get_by_role("columnheader", name="Re-assessment: baseline → new")
    ).to_be_visible()
    banja_luka = script(Municipality.objects.get(code="BA-BANJA-LUKA").name)
    member = changes.get_by_role("row").filter(
        has=alice.get_by_role("rowheader", name=banja_luka, exact=True)
    )
    scores, satisfaction = member.get_by_role("cell").nth(0), member.get_by_role("cell").nth(1)
    # every subcriterion of the re-assessment: "6.1 Perception measurements: 35 → 30 (-5)"
    expected = [
        re.compile(
            rf"^{re.escape(code)} .+: {shown(before)} → {shown(after)} \({signed(change)}\)$"
        )
        for code, before, after, change in score_deltas(evaluation, "BA-BANJA-LUKA")
    ]
    assert expected
    expect(scores.get_by_role("listitem")).to_have_text(expected)
    # Banja Luka's citizens were visibly more satisfied after (surveys/demo.py: 3.0 → 3.6)
    (before, n_before), (after, n_after) = overall_means(evaluation.workspace, "BA-BANJA-LUKA")
    assert after > before
    expect(satisfaction).to_contain_text(
        f"{one_place(before)} → {one_place(after)} (scale 1–5; {n_before} and {n_after} answers)"
    )
    expect(satisfaction).to_contain_text(
        f"The rise from {one_place(before)} to {one_place(after)} is unlikely to be chance."
    )


def test_survey_from_template_answered_on_phones_then_results_and_the_network_evaluation(
    browser, live_server, demo
):
    alice = coordinator(browser, live_server)
    try:
        survey = make_survey(alice)
        link = open_wave(alice, survey)

        found = {
            "sr": answer_on_phone(browser, link, "sr-ijekavsk", "Српски (ћирилица)", overall=5),
            "bg": answer_on_phone(browser, link, "bg", "Български", overall=4),
        }
        assert not any(found.values()), found
        answers = list(Response.objects.filter(wave__survey=survey).order_by("language"))
        assert [r.language for r in answers] == ["bg", "sr"]
        assert [r.answers["overall"] for r in answers] == [4, 5]
        assert all(r.answers["trust"] == "yes" for r in answers)

        close_and_see_results(alice, survey)
        evaluation_report(alice)
    finally:
        alice.context.close()
