import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_tests.conftest import sign_in

pytestmark = pytest.mark.browser

PUBLIC = [
    "/",
    "/municipalities/",
    "/municipalities/?q=tuzla",
    "/municipalities/BA-BANJA-LUKA/",
    "/municipalities/map/",
    "/accounts/login/",
]
PRIVATE = [
    "/dashboard/",
    "/municipalities/BA-BANJA-LUKA/people/",
    "/municipalities/BA-BANJA-LUKA/history/",
    "/municipalities/BA-BANJA-LUKA/edit/",
    "/municipalities/BA-BANJA-LUKA/people/invite/",
    "/account/settings/",
]


def serious(results):
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_pages_have_no_serious_accessibility_violations(page):
    axe = Axe()
    found = {}
    for url in PUBLIC:
        page.goto(url)
        found[url] = serious(axe.run(page))
    sign_in(page, "alice")
    for url in PRIVATE:
        page.goto(url)
        found[url] = serious(axe.run(page))
    assert not any(found.values()), {u: v for u, v in found.items() if v}


def test_phone_width_has_no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/", "/municipalities/", "/municipalities/BA-BANJA-LUKA/"):
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, url


def test_assessment_and_network_pages_have_no_serious_violations(page):
    from mreza.assessment.models import Assessment

    # whole self-assessments (the demo's evaluation also re-assesses Banja Luka's network area)
    whole = Assessment.objects.filter(municipality__code="BA-BANJA-LUKA", baseline__isnull=True)
    current = whole.get(status="scoring")
    accepted = whole.get(status="accepted")
    axe = Axe()
    found = {}
    sign_in(page, "alice")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    for url in (
        "/assessments/",
        f"/assessments/{current.pk}/",
        f"/assessments/{current.pk}/group/",
        f"/assessments/{current.pk}/score/",
        f"/assessments/{current.pk}/score/1.1/",
        f"/assessments/{accepted.pk}/",
        f"/assessments/{accepted.pk}/report/",
        f"/assessments/{accepted.pk}/plan/",
        f"/assessments/{accepted.pk}/plan/new/",
        f"/assessments/{accepted.pk}/profile/",
        f"/assessments/{accepted.pk}/consensus/1.1/",
        f"/assessments/{accepted.pk}/divergence/",
        "/networks/mine/",
        "/municipalities/BA-BANJA-LUKA/assessments/new/",
    ):
        page.goto(url)
        found[url] = serious(axe.run(page))
    page.click("form[action='/accounts/logout/'] button")
    sign_in(page, "dana")
    for url in ("/networks/rounds/", "/networks/rounds/new/"):
        page.goto(url)
        found[url] = serious(axe.run(page))
    assert not any(found.values()), {u: v for u, v in found.items() if v}
