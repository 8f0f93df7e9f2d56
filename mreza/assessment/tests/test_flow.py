import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.assessment import services
from mreza.assessment.models import Assessment, Consensus, Entry, LearningProfile, Subcriterion
from mreza.assessment.tests.conftest import agree_all, make_assessors, score_all
from mreza.core.models import AuditEntry


def test_coordinator_starts_an_assessment_and_names_the_group(world, caf, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/assessments/new/",
        {
            "framework": caf.pk,
            "method": "classic",
            "title": "CAF 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assessment = Assessment.objects.get(title="CAF 2026")
    assert response["Location"] == f"/assessments/{assessment.pk}/group/"
    client.post(f"/assessments/{assessment.pk}/group/", {"user": world.bob.pk, "role": "assessor"})
    assert set(assessment.members.values_list("user__email", "role")) == {
        ("alice@example.org", "administrator"),
        ("bob@example.org", "assessor"),
    }
    # charlie is not of A and cannot be added
    response = client.post(
        f"/assessments/{assessment.pk}/group/", {"user": world.charlie.pk, "role": "assessor"}
    )
    assert not assessment.members.filter(user=world.charlie).exists()


def test_start_form_keeps_input_and_explains(world, caf, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/assessments/new/",
        {
            "framework": caf.pk,
            "method": "maturity",
            "title": "Kept title",
            "period_start": "2026-02-01",
            "period_end": "2026-01-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Kept title" in body
    assert "does not offer that scoring method" in body and "must end after it starts" in body


def test_bob_cannot_start_and_charlie_sees_nothing(world, assessment, client):
    client.force_login(world.bob)
    assert client.get("/municipalities/T-A/assessments/new/").status_code == 403
    client.force_login(world.charlie)
    pk = assessment.pk
    for url in (
        f"/assessments/{pk}/",
        f"/assessments/{pk}/score/",
        f"/assessments/{pk}/score/1.1/",
        f"/assessments/{pk}/divergence/",
        f"/assessments/{pk}/consensus/1.1/",
        f"/assessments/{pk}/report/",
        f"/assessments/{pk}/report.pdf",
        f"/assessments/{pk}/results.xlsx",
        f"/assessments/{pk}/plan/",
        f"/assessments/{pk}/workbook.xlsx",
        f"/assessments/{pk}/group/",
        f"/assessments/{pk}/profile/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assessments/{pk}/do/start_consensus/").status_code == 404
    assert "CAF 2025" not in client.get("/assessments/").content.decode()


def test_network_coordinator_does_not_see_the_assessment(world, assessment, client):
    client.force_login(world.dana)
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 404


def test_scores_are_hidden_until_submitted(world, assessment, client):
    score_all(assessment, world.bob, 40, submit=False)
    client.force_login(world.alice)
    body = client.get(f"/assessments/{assessment.pk}/consensus/1.1/").content.decode()
    assert "Bob strong" not in body
    services.submit(assessment, world.bob)
    body = client.get(f"/assessments/{assessment.pk}/consensus/1.1/").content.decode()
    assert "Bob strong" in body


def test_scoring_through_the_browser_form(world, assessment, client):
    client.force_login(world.bob)
    url = f"/assessments/{assessment.pk}/score/1.1/"
    response = client.post(url, {"score": "105", "strengths": "Kept words", "version": 0})
    assert response.status_code == 200 and "Kept words" in response.content.decode()
    assert "100" in response.content.decode()  # the allowed range is named
    assert not Entry.objects.exists()
    response = client.post(url, {"score": "55", "dont_know": "on", "version": 0})
    assert "not both" in response.content.decode()
    response = client.post(url, {"score": "55,0", "strengths": "Good", "version": 0, "next": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/score/1.2/")
    entry = Entry.objects.get(assessor=world.bob)
    assert entry.score == 55 and entry.version == 1
    # a stale second window is refused, the typed text kept
    response = client.post(url, {"score": "60", "strengths": "From the old window", "version": 0})
    assert response.status_code == 409 and "From the old window" in response.content.decode()
    assert Entry.objects.get(assessor=world.bob).score == 55


def test_two_assessors_never_touch_each_others_entries(world, assessment):
    carol = make_assessors(world, 1)[0]
    services.add_member(assessment, carol, "assessor")
    sub = Subcriterion.objects.get(framework=assessment.framework, code="2.1")
    services.save_entry(assessment, world.bob, sub, {"score": 30})
    services.save_entry(assessment, carol, sub, {"score": 80})
    services.save_entry(assessment, world.bob, sub, {"score": 35}, expected_version=1)
    assert dict(Entry.objects.values_list("assessor__email", "score")) == {
        "bob@example.org": 35,
        "eve0@example.org": 80,
    }


def test_submit_requires_every_subcriterion(world, assessment, client):
    client.force_login(world.bob)
    response = client.post(f"/assessments/{assessment.pk}/do/submit/", follow=True)
    assert "Missing: 1.1, 1.2" in response.content.decode()


def test_consensus_conflict_is_reported_not_overwritten(world, assessment, client):
    score_all(assessment, world.bob, 40)
    services.start_consensus(assessment)
    client.force_login(world.alice)
    url = f"/assessments/{assessment.pk}/consensus/3.1/"
    first = client.post(url, {"score": "45", "improvements": "First view", "version": 0})
    assert first.status_code == 302
    # mirza-like second administrator editing from the same starting version
    second = client.post(url, {"score": "70", "improvements": "Second view", "version": 0})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else recorded the consensus" in body and "Second view" in body
    assert Consensus.objects.get(subcriterion__code="3.1").score == 45


def test_full_cycle_report_accept_plan_profile(world, assessment, client):
    score_all(assessment, world.bob, 30)
    score_all(assessment, world.alice, 70)
    client.force_login(world.alice)
    client.post(f"/assessments/{assessment.pk}/do/start_consensus/")
    body = client.get(f"/assessments/{assessment.pk}/divergence/").content.decode()
    assert "40" in body  # the spread 70 - 30
    agree_all(assessment, world.alice, 35)
    Consensus.objects.filter(subcriterion__code__startswith="9").update(score=80)
    client.post(f"/assessments/{assessment.pk}/do/close/")
    assessment.refresh_from_db()
    assert assessment.status == "closed"
    report = client.get(f"/assessments/{assessment.pk}/report/")
    assert report.status_code == 200 and "<svg" in report.content.decode()
    pdf = client.get(f"/assessments/{assessment.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Leadership" in text and "35.0" in text and "80.0" in text
    # only management accepts
    assert client.post(f"/assessments/{assessment.pk}/do/accept/").status_code == 403
    client.force_login(world.mara)
    client.post(f"/assessments/{assessment.pk}/do/accept/")
    assessment.refresh_from_db()
    assert assessment.status == "accepted" and assessment.accepted_by == world.mara
    # improvement plan
    client.force_login(world.alice)
    sub = Subcriterion.objects.get(framework=assessment.framework, code="6.1")
    response = client.post(
        f"/assessments/{assessment.pk}/plan/new/",
        {
            "subcriterion": sub.pk,
            "title": "Annual citizen survey",
            "owner": "Ured načelnika",
            "deadline": "2026-06-30",
            "expected_result": "Satisfaction known",
            "indicator": "Survey done",
            "impact": 5,
            "feasibility": 4,
            "status": "plan",
        },
    )
    assert response.status_code == 302
    action = assessment.actions.get()
    assert action.priority == 20
    xlsx = client.get(f"/assessments/{assessment.pk}/plan.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/assessments/{assessment.pk}/plan.pdf").content[:4] == b"%PDF"
    # learning profile: proposed from low scores, shared by choice
    page = client.get(f"/assessments/{assessment.pk}/profile/")
    assert page.status_code == 200
    profile = LearningProfile.objects.get(assessment=assessment)
    assert profile.sharing == "private" and "1.1" in profile.needs and "9.1" in profile.strengths
    client.force_login(world.dana)
    assert client.get(f"/assessments/profiles/{profile.pk}/").status_code == 404
    client.force_login(world.alice)
    data = {
        "sharing": "coordinators",
        "version": profile.version,
        "need_1.1": "0.9",
        "offer_9.1": "0.8",
    }
    assert client.post(f"/assessments/{assessment.pk}/profile/", data).status_code == 302
    profile.refresh_from_db()
    assert profile.needs == {"1.1": 0.9} and profile.strengths == {"9.1": 0.8}
    client.force_login(world.dana)
    shared = client.get(f"/assessments/profiles/{profile.pk}/")
    assert shared.status_code == 200 and "Bob strong" not in shared.content.decode()
    assert (
        client.get(f"/assessments/{assessment.pk}/").status_code == 404
    )  # the profile, never the entries
    client.force_login(world.charlie)
    assert client.get(f"/assessments/profiles/{profile.pk}/").status_code == 404
    assert AuditEntry.objects.filter(
        content_type__model="improvementaction", actor=world.alice
    ).exists()
    assert AuditEntry.objects.filter(
        content_type__model="learningprofile", actor=world.alice, municipality_id=world.a.pk
    ).exists()


def test_report_shows_deltas_against_the_previous_assessment(world, assessment, caf, client):
    previous = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2023",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        user=world.alice,
    )
    for a, value in ((previous, 40), (assessment, 55)):
        score_all(a, world.alice, value)
        services.start_consensus(a)
        agree_all(a, world.alice, value)
        services.close(a)
        services.accept(a, world.mara) if a is previous else None
    client.force_login(world.alice)
    body = client.get(f"/assessments/{assessment.pk}/report/").content.decode()
    assert "+15.0" in body and "CAF 2023" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["", "score/", "score/4.2/", "divergence/", "consensus/4.2/", "report/"]
)
def test_pages_run_constant_queries_for_2_and_12_assessors(world, caf, page, client):
    counts = []
    for size in (2, 12):
        a = services.start_assessment(
            municipality=world.a,
            framework=caf,
            method="classic",
            title=f"A{size}",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            user=world.alice,
        )
        people = [world.alice, *make_assessors(world, size - 1, prefix=f"p{size}-")]
        for person in people[1:]:
            services.add_member(a, person, "assessor")
        for person in people:
            score_all(a, person, 50)
        services.start_consensus(a)
        agree_all(a, world.alice, 50)
        if page == "report/":
            services.close(a)
        client.force_login(world.alice)
        _queries(client, f"/assessments/{a.pk}/{page}")  # keeps "no TOTP" in the session
        counts.append(_queries(client, f"/assessments/{a.pk}/{page}"))
    assert counts[0] == counts[1], counts
