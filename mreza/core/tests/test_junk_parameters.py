"""Issue 7 item 12: no server error on junk.

Every URL pattern of the project (``get_resolver()``) is requested with GET, its path parameters
filled with real demo objects (a municipality, an assessment with a plan, a grouping round with
networks and partnerships, a learning profile), with junk in every query parameter the views read,
as an administrator, a coordinator and an anonymous visitor. No answer may be a 5xx.
"""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mreza.accounts.models import MunicipalRole, User
from mreza.networks.tests.conftest import grouping_world  # noqa: F401 (fixture)

HUGE = "9" * 30
#: Every parameter name the views and templates read (grep request.GET), with junk values.
JUNK_QUERIES = [
    "framework=abc&page=-1&q=%00&country=ZZ&sort=..&kind=abc&area=abc&region=ZZ&type=abc&population_min=abc"
    "&population_max=-5&next=//evil.example&a=abc&b=abc&round=abc&lang=zz&organisation=abc&code=%00",
    f"page={HUGE}&framework={HUGE}&population_min={HUGE}&population_max={HUGE}&kind=%00&region=%00"
    f"&country=%00&area=%00&a={HUGE}&b=-{HUGE}&round={HUGE}&q=%E2%80%AE%00",
    "q="
    + "x" * 5000
    + "&page=1&page=abc&framework=&framework=1&country=&country=BA&region=T-RS&region=%25"
    "&type=city&population_min=10&population_max=1&area=6.1&kind=update&round=-1&a=1e309&b=nan",
    "framework=1%00&page=nan&page=inf&q=%27%22%3C%3E&country=ba%00&area=..%2F..%2Fetc&kind=%F0%9F%92%A5"
    "&round=0x10&a=%20&b=%0A",
]
#: Third-party URL trees (Django admin, allauth) are walked only at their entry pages (added below).
SKIP_PREFIXES = ("admin/", "accounts/")


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(SKIP_PREFIXES):
                continue
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


PARAM_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@pytest.fixture
def junk_world(grouping_world, caf, client):  # noqa: F811
    """Demo objects for every kind of path parameter."""
    from mreza.assessment import services as assessment_services
    from mreza.assessment.models import ImprovementAction, LearningProfile, Subcriterion
    from mreza.assessment.tests.conftest import agree_all, score_all
    from mreza.networks.models import GroupingRound, NetworkMembership, Partnership

    w = grouping_world
    w.mara = User.objects.create_user("mara@example.org", "test-password-123", full_name="Mara")
    MunicipalRole.objects.create(user=w.mara, municipality=w.a, role="management")
    a = assessment_services.start_assessment(
        municipality=w.a,
        framework=caf,
        method="classic",
        title="CAF 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        user=w.alice,
    )
    assessment_services.add_member(a, w.bob, "assessor")
    score_all(a, w.bob, 40)
    a.status = "consensus"
    a.save(update_fields=["status"])
    agree_all(a, w.alice, 45)
    sub = Subcriterion.objects.get(framework=caf, code="6.1")
    action = ImprovementAction.objects.create(
        assessment=a,
        subcriterion=sub,
        title="Survey",
        owner="Ured",
        deadline="2026-06-30",
        expected_result="Known",
        indicator="Done",
        impact=5,
        feasibility=4,
        status="plan",
    )
    client.force_login(w.dana)
    response = client.post(
        "/networks/rounds/new/",
        {
            "organisation": w.association.pk,
            "title": "Networks 2025",
            "framework": caf.pk,
            "areas": ["6.1", "3.2"],
            "min_size": 4,
            "max_size": 8,
            "distance_weight": "0.1",
            "max_networks_per_municipality": 1,
            "max_mentees_per_mentor": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = GroupingRound.objects.latest("id")
    client.post(
        f"/networks/rounds/{round_.pk}/edit/",
        {"action": "publish", "version": round_.version, "without_coordinator_ok": "1"},
    )
    client.logout()
    membership = NetworkMembership.objects.select_related("network").first()
    partnership = Partnership.objects.filter(round=round_).first()
    assert membership is not None and partnership is not None
    w.values = {
        "assessment": a.pk,
        "round": round_.pk,
        "network": membership.network_id,
        "membership": membership.pk,
        "partnership": partnership.pk,
        "action_pk": action.pk,
        "member_pk": a.members.first().pk,
        "profile_pk": LearningProfile.objects.first().pk,
        "file_pk": 999999,
        "code": w.a.code,
        "organisation": w.association.code,
    }
    return w


def _fill(route, values):
    """The route with its parameters filled in, or None if a parameter has no sensible value."""

    def value(match):
        name = match.group("name")
        if name == "pk":
            if route.startswith("assessments/"):
                return str(values["assessment"])
            if route.startswith("networks/rounds/"):
                return str(values["round"])
            if route.startswith("networks/answer/"):
                return str(values["membership"])
            return str(values["network"])
        if name == "code":
            if route.startswith("organisations/"):
                return values["organisation"]
            if "/consensus/" in route or "/score/" in route:
                return "6.1"
            return values["code"]
        return {
            "fmt": "xlsx",
            "kind": "network",
            "action": "close",
            "token": "junk-token",
            "partnership": str(values["partnership"]),
        }.get(name, str(values.get(name, 999999)))

    path = PARAM_RE.sub(value, route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def test_every_page_survives_junk_parameters(junk_world, client):
    routes = list(_patterns())
    paths = sorted({_fill(route, junk_world.values) for route in routes})
    assert len(paths) > 40 and "/networks/rounds/new/" in paths
    # Path parameters that are junk too (an unknown code, a subcriterion that does not exist).
    paths += [
        "/municipalities/%00/",
        "/municipalities/ZZ-" + "x" * 300 + "/",
        f"/assessments/{junk_world.values['assessment']}/score/%00/",
        f"/assessments/{junk_world.values['assessment']}/consensus/../",
        f"/assessments/{junk_world.values['assessment']}/results.junk",
        f"/assessments/{junk_world.values['assessment']}/plan.junk",
        f"/assessments/{junk_world.values['assessment']}/results.csv",
        f"/assessments/{junk_world.values['assessment']}/plan.pdf",
        "/networks/answer/junk/1/",
        f"/networks/answer/partnership/{junk_world.values['partnership']}/",
        "/admin/",
        "/accounts/login/",
    ]
    failures = []
    for user in (junk_world.admin, junk_world.alice, junk_world.bob, junk_world.dana, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            for query in ["", *JUNK_QUERIES]:
                url = f"{path}?{query}" if query else path
                try:
                    response = client.get(url)
                except Exception as error:  # the test client re-raises the view's exception
                    failures.append(
                        f"{user} {url[:160]}: {type(error).__name__}: {str(error)[:200]}"
                    )
                    continue
                if response.status_code >= 500:
                    failures.append(f"{user} {url[:160]}: {response.status_code}")
    assert not failures, "\n".join(failures)


LONG = "9" * 5000


def _junk_posts(w, caf_pk):
    """(user, url, data): forms posted with junk numbers and oversized text."""
    v, a = w.values, w.values["assessment"]
    return [
        (w.bob, f"/assessments/{a}/score/6.1/", {"score": LONG, "version": 0}),
        (w.alice, f"/assessments/{a}/consensus/6.1/", {"score": LONG, "version": 0}),
        (w.alice, f"/assessments/{a}/consensus/6.1/", {"score": "1e309", "version": LONG}),
        (
            w.dana,
            "/networks/rounds/new/",
            {
                "organisation": w.association.pk,
                "title": "x",
                "framework": caf_pk,
                "areas": ["6.1"],
                "min_size": LONG,
                "max_size": "1e309",
                "distance_weight": "nan",
                "max_networks_per_municipality": LONG,
                "max_mentees_per_mentor": "-" + LONG,
            },
        ),
        (
            w.dana,
            "/networks/rounds/new/",
            {
                "organisation": "abc",
                "title": "x" * 100_000,
                "framework": "abc",
                "areas": ["%00"],
                "min_size": "1e309",
                "max_size": "inf",
                "distance_weight": "1e309",
            },
        ),
        (
            w.alice,
            f"/assessments/{a}/plan/new/",
            {
                "subcriterion": LONG,
                "title": "t",
                "owner": "o",
                "deadline": "99999-99-99",
                "expected_result": "r",
                "indicator": "i",
                "impact": LONG,
                "feasibility": "1e309",
                "status": "plan",
            },
        ),
        (
            w.alice,
            f"/assessments/{a}/profile/",
            {"sharing": "x", "version": LONG, "need_6.1": LONG, "offer_6.1": "1e309"},
        ),
        (
            w.alice,
            f"/municipalities/{w.a.code}/edit/",
            {"website": "x", "description": "d", "version": LONG},
        ),
        (w.alice, f"/assessments/{a}/group/", {"user": LONG, "role": "x"}),
        (
            w.dana,
            f"/networks/rounds/{v['round']}/edit/",
            {"action": "move", "version": LONG, "member": LONG, "to": "-1"},
        ),
        (w.dana, f"/networks/rounds/{v['round']}/edit/", {"action": "publish", "version": "abc"}),
        (
            w.alice,
            f"/networks/answer/network/{v['membership']}/",
            {"answer": "x" * 10, "reason": "r" * 100_000},
        ),
        (
            w.alice,
            f"/networks/answer/partnership/{v['partnership']}/",
            {"answer": "accept", "side": "%00"},
        ),
        (
            w.alice,
            f"/municipalities/{w.a.code}/people/invite/",
            {"email": "x" * 1000 + "@e.org", "role": LONG},
        ),
        (w.alice, "/i18n/setlang/", {"language": "x" * 1000, "next": "//evil.example"}),
    ]


def test_forms_survive_junk_numbers_and_text(junk_world, client, caf):
    from mreza.assessment.models import Assessment

    failures = []
    for index, (user, url, data) in enumerate(_junk_posts(junk_world, caf.pk)):
        if index == 3:  # after the scoring and consensus forms: the plan needs a closed assessment
            Assessment.objects.filter(pk=junk_world.values["assessment"]).update(status="closed")
        client.force_login(user)
        try:
            response = client.post(url, data)
        except Exception as error:  # the test client re-raises the view's exception
            failures.append(f"{url}: {type(error).__name__}: {str(error)[:200]}")
            continue
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
    assert not failures, "\n".join(failures)
