"""A short re-assessment of some subcriteria (self-evaluation, step 4), compared with a baseline."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from mreza.assessment import services
from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR
from mreza.assessment.models import Assessment, Entry, LearningProfile, Subcriterion
from mreza.assessment.tests.conftest import agree_all, make_assessors, score_all
from mreza.assessment.tests.test_workbook_views import download, upload

SCOPE = ["3.1", "3.2", "6.1"]


def _whole(world, caf, title, year, value, *, accept=True):
    """A whole-framework assessment of A, finished with consensus `value` everywhere."""
    a = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title=title,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        user=world.alice,
    )
    score_all(a, world.alice, value)
    services.start_consensus(a)
    agree_all(a, world.alice, value)
    services.close(a)
    if accept:
        services.accept(a, world.alice)
    return a


def _reassess(baseline, user, codes=SCOPE, year=2027, title="Re-assessment 2027"):
    return services.start_reassessment(
        baseline=baseline,
        codes=codes,
        title=title,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        user=user,
    )


def _score(assessment, user, value, *, skip=(), submit=True):
    for sub in services.subcriteria_of(assessment):
        if sub.code not in skip:
            services.save_entry(assessment, user, sub, {"score": value})
    if submit:
        services.submit(assessment, user)


def _agree(assessment, user, value, *, skip=()):
    for sub in services.subcriteria_of(assessment):
        if sub.code not in skip:
            services.record_consensus(assessment, sub, {"score": value}, user, 0)


def _finish(assessment, user, value):
    _score(assessment, user, value)
    services.start_consensus(assessment)
    _agree(assessment, user, value)
    services.close(assessment)


@pytest.fixture
def baseline(world, assessment):
    """The conftest's CAF 2025 of A (alice, bob), accepted with consensus 40 everywhere."""
    score_all(assessment, world.alice, 40)
    score_all(assessment, world.bob, 40)
    services.start_consensus(assessment)
    agree_all(assessment, world.alice, 40)
    services.close(assessment)
    services.accept(assessment, world.mara)
    return assessment


@pytest.fixture
def scoped(world, baseline):
    reassessment = _reassess(baseline, world.alice)
    services.add_member(reassessment, world.bob, "assessor")
    return reassessment


def test_start_copies_the_baseline_and_keeps_framework_order(world, baseline):
    reassessment = _reassess(baseline, world.alice, codes=["6.1", "3.2", " 3.1", "6.1"])
    assert reassessment.scope == SCOPE
    assert reassessment.baseline == baseline and reassessment.is_scoped
    assert (reassessment.municipality, reassessment.framework, reassessment.method) == (
        baseline.municipality,
        baseline.framework,
        baseline.method,
    )
    assert list(reassessment.members.values_list("user__email", "role")) == [
        ("alice@example.org", "administrator")
    ]
    assert list(baseline.reassessments.all()) == [reassessment]
    assert [s.code for s in services.subcriteria_of(reassessment)] == SCOPE
    assert len(services.subcriteria_of(baseline)) == 28


def test_scope_limits_the_score_index_and_the_subcriterion_pages(world, scoped, client):
    client.force_login(world.bob)
    body = client.get(f"/assessments/{scoped.pk}/score/").content.decode()
    assert "0 of 3 subcriteria answered." in body
    assert f"/assessments/{scoped.pk}/score/3.2/" in body
    assert f"/assessments/{scoped.pk}/score/1.1/" not in body
    assert client.get(f"/assessments/{scoped.pk}/score/3.1/").status_code == 200
    assert client.get(f"/assessments/{scoped.pk}/score/1.1/").status_code == 404
    response = client.get(f"/assessments/{scoped.pk}/score/6.1/")
    assert response.context["total"] == 3 and response.context["next_code"] is None


def test_submit_needs_the_scoped_subcriteria_only(world, scoped):
    outside = Subcriterion.objects.get(framework=scoped.framework, code="1.1")
    with pytest.raises(services.AssessmentError, match=r"does not cover subcriterion 1\.1"):
        services.save_entry(scoped, world.bob, outside, {"score": 50})
    _score(scoped, world.bob, 50, skip={"6.1"}, submit=False)
    with pytest.raises(services.AssessmentError, match=r"Missing: 6\.1\.$"):
        services.submit(scoped, world.bob)
    _score(scoped, world.bob, 50, skip={"3.1", "3.2"})
    assert scoped.members.get(user=world.bob).submitted_at is not None
    assert Entry.objects.filter(assessment=scoped, assessor=world.bob).count() == 3


def test_consensus_and_close_cover_the_scope(world, scoped, client):
    _score(scoped, world.bob, 30)
    _score(scoped, world.alice, 70)
    services.start_consensus(scoped)
    client.force_login(world.alice)
    divergence = client.get(f"/assessments/{scoped.pk}/divergence/")
    assert [row["code"] for row in divergence.context["rows"]] == SCOPE
    assert client.get(f"/assessments/{scoped.pk}/consensus/1.1/").status_code == 404
    outside = Subcriterion.objects.get(framework=scoped.framework, code="9.1")
    with pytest.raises(services.AssessmentError, match="does not cover"):
        services.record_consensus(scoped, outside, {"score": 50}, world.alice, 0)
    _agree(scoped, world.alice, 55, skip={"6.1"})
    assert "2 of 3 agreed" in client.get(f"/assessments/{scoped.pk}/").content.decode()
    with pytest.raises(services.AssessmentError, match=r"Missing: 6\.1\.$"):
        services.close(scoped)
    _agree(scoped, world.alice, 55, skip={"3.1", "3.2"})
    services.close(scoped)
    scoped.refresh_from_db()
    assert scoped.status == Assessment.Status.CLOSED


def test_report_compares_with_the_baseline(world, caf, baseline, client):
    # a later whole assessment, accepted: the re-assessment still compares with its baseline
    _whole(world, caf, "CAF 2026", 2026, 70)
    reassessment = _reassess(baseline, world.alice)
    _finish(reassessment, world.alice, 55)
    deltas = services.reassessment_deltas(reassessment)
    assert [(s.code, old, new, delta) for s, old, new, delta in deltas] == [
        ("3.1", 40, 55, 15.0),
        ("3.2", 40, 55, 15.0),
        ("6.1", 40, 55, 15.0),
    ]
    client.force_login(world.alice)
    response = client.get(f"/assessments/{reassessment.pk}/report/")
    body = response.content.decode()
    assert "Re-assessment of 3 subcriteria, compared with CAF 2025" in body
    assert "Change since the baseline" in body and "+15.0" in body and "-15.0" not in body
    # roll-ups of the criteria present only, the baseline over the same subcriteria
    assert [r["criterion"].code for r in response.context["criterion_rows"]] == ["3", "6"]
    assert [r["delta"] for r in response.context["criterion_rows"]] == [15.0, 15.0]
    assert [r["subcriterion"].code for r in response.context["rows"]] == SCOPE
    assert response.context["data"]["total"] == 55
    pdf = client.get(f"/assessments/{reassessment.pk}/report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Re-assessment of 3 subcriteria, compared with CAF 2025" in text
    assert "Leadership" not in text and "People" in text
    results = client.get(f"/assessments/{reassessment.pk}/results.csv").content.decode()
    assert [line.split(",")[0] for line in results.splitlines()[1:]] == SCOPE


def test_a_radar_needs_three_criteria_else_bars(world, baseline, client):
    client.force_login(world.alice)
    for codes, chart in ((["1.1", "3.1", "6.1"], "Radar chart"), (["3.1"], "Bar chart")):
        reassessment = _reassess(baseline, world.alice, codes=codes, title=f"R {len(codes)}")
        _finish(reassessment, world.alice, 50)
        body = client.get(f"/assessments/{reassessment.pk}/report/").content.decode()
        assert f"{chart} of the consensus score of each criterion." in body
    assert "Re-assessment of 1 subcriterion, compared with CAF 2025" in body


def test_whole_assessments_never_compare_with_a_re_assessment(world, caf, baseline, client):
    reassessment = _reassess(baseline, world.alice, year=2026)
    _finish(reassessment, world.alice, 90)
    services.accept(reassessment, world.mara)
    later = _whole(world, caf, "CAF 2027", 2027, 50, accept=False)
    assert later.previous() == baseline
    client.force_login(world.alice)
    body = client.get(f"/assessments/{later.pk}/report/").content.decode()
    assert "CAF 2025" in body and "+10.0" in body and "Re-assessment of" not in body


def test_overview_names_the_scope_and_links_the_baseline(world, scoped, client):
    client.force_login(world.alice)
    body = client.get(f"/assessments/{scoped.pk}/").content.decode()
    assert "Re-assessment of 3 subcriteria: 3.1, 3.2, 6.1." in body
    assert f'<a href="/assessments/{scoped.baseline_id}/">CAF 2025</a>' in body
    # carol is in the re-assessment's group only: the baseline is named, not linked
    carol = make_assessors(world, 1)[0]
    services.add_member(scoped, carol, "assessor")
    client.force_login(carol)
    body = client.get(f"/assessments/{scoped.pk}/").content.decode()
    assert "CAF 2025" in body and f'href="/assessments/{scoped.baseline_id}/"' not in body
    listing = client.get("/assessments/").content.decode()
    assert 'Re-assessment 2027</a> <span class="muted">(re-assessment)</span>' in listing


def test_workbook_round_trip_has_the_scoped_rows_only(world, scoped, client):
    client.force_login(world.bob)
    workbook = download(client, scoped)
    sheet = workbook["Scores"]
    header = [c.value for c in sheet[1]]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == SCOPE
    column = header.index("Score") + 1
    for row in range(2, 2 + len(SCOPE)):
        sheet.cell(row=row, column=column, value=65)
    response = upload(client, scoped, workbook)
    assert response.status_code == 302
    saved = Entry.objects.filter(assessment=scoped, assessor=world.bob, score=65)
    assert sorted(saved.values_list("subcriterion__code", flat=True)) == SCOPE
    services.submit(scoped, world.bob)


def test_invalid_re_assessments_are_refused_with_the_reason(world, caf, baseline):
    with pytest.raises(ValidationError) as unknown:
        _reassess(baseline, world.alice, codes=["3.1", "9.9", "X"])
    assert unknown.value.message_dict == {"scope": ["The framework has no subcriterion 9.9, X."]}
    with pytest.raises(ValidationError, match="at least one subcriterion"):
        _reassess(baseline, world.alice, codes=[])
    with pytest.raises(ValidationError, match="at least one subcriterion"):
        _reassess(baseline, world.alice, codes=None)
    open_one = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="Still scoring",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        user=world.alice,
    )
    with pytest.raises(ValidationError, match="“Still scoring” is not closed yet"):
        _reassess(open_one, world.alice)
    with pytest.raises(ValidationError) as backwards:
        services.start_reassessment(
            baseline=baseline,
            codes=SCOPE,
            title="Backwards",
            period_start=datetime.date(2027, 2, 1),
            period_end=datetime.date(2027, 1, 1),
            user=world.alice,
        )
    assert backwards.value.message_dict == {"period_end": ["The period must end after it starts."]}
    assert not Assessment.objects.exclude(scope=[]).exists()


def test_baseline_must_be_of_the_same_municipality_and_framework(world, caf, baseline):
    def checked(**fields):
        candidate = Assessment(
            **{
                "municipality": world.a,
                "framework": caf,
                "method": "classic",
                "title": "Check",
                "period_start": datetime.date(2027, 1, 1),
                "period_end": datetime.date(2027, 12, 31),
                "created_by": world.alice,
                "scope": ["3.1"],
                "baseline": baseline,
                **fields,
            }
        )
        with pytest.raises(ValidationError) as refused:
            candidate.full_clean()
        return refused.value.message_dict

    assert checked(municipality=world.b) == {
        "baseline": ["The assessment compared with must be of the same municipality."]
    }
    eloge = services.install_framework(FRAMEWORKS_DIR / "eloge2023.yaml")[0]
    code = Subcriterion.objects.filter(framework=eloge).values_list("code", flat=True)[0]
    assert checked(framework=eloge, method=eloge.methods[0], scope=[code]) == {
        "baseline": ["The assessment compared with must use the same framework and version."]
    }
    assert checked(scope=[3]) == {"scope": ["List the subcriteria by their codes."]}
    partial = _reassess(baseline, world.alice, codes=["3.1"])
    assert checked(baseline=partial, scope=["3.1", "6.1"]) == {
        "scope": ["The assessment compared with did not assess 6.1."]
    }


def test_no_learning_profile_from_a_re_assessment(world, baseline, client):
    services.ensure_profile(baseline)
    reassessment = _reassess(baseline, world.alice)
    _finish(reassessment, world.alice, 90)
    client.force_login(world.mara)
    client.post(f"/assessments/{reassessment.pk}/do/accept/")
    reassessment.refresh_from_db()
    assert reassessment.status == Assessment.Status.ACCEPTED
    assert "Learning profile and sharing" not in (
        client.get(f"/assessments/{reassessment.pk}/").content.decode()
    )
    response = client.get(f"/assessments/{reassessment.pk}/profile/", follow=True)
    assert "makes no learning profile" in response.content.decode()
    with pytest.raises(services.AssessmentError, match="makes no learning profile"):
        services.ensure_profile(reassessment)
    assert list(LearningProfile.objects.values_list("assessment_id", flat=True)) == [baseline.pk]


def test_latest_baseline_is_the_newest_accepted_else_closed_whole_assessment(world, caf):
    assert services.latest_baseline(world.a, caf) is None
    closed = _whole(world, caf, "Closed 2024", 2024, 50, accept=False)
    assert services.latest_baseline(world.a, caf) == closed
    accepted = _whole(world, caf, "Accepted 2023", 2023, 50)
    assert services.latest_baseline(world.a, caf) == accepted
    newer = _whole(world, caf, "Accepted 2025", 2025, 50)
    assert services.latest_baseline(world.a, caf) == newer
    reassessment = _reassess(newer, world.alice, year=2026)
    _finish(reassessment, world.alice, 60)
    services.accept(reassessment, world.alice)
    assert services.latest_baseline(world.a, caf) == newer
    assert services.latest_baseline(world.b, caf) is None


def _report_queries(client, assessment):
    url = f"/assessments/{assessment.pk}/report/"
    client.get(url)  # keeps "no TOTP" in the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_report_queries_stay_flat_as_the_scope_and_group_grow(world, baseline, client):
    client.force_login(world.alice)
    counts = []
    for size, codes in ((1, ["3.1", "6.1"]), (6, ["1.1", "2.2", "3.1", "4.3", "6.1", "9.2"])):
        reassessment = _reassess(baseline, world.alice, codes=codes, title=f"R{size}")
        people = make_assessors(world, size, prefix=f"q{size}-")
        for person in people:
            services.add_member(reassessment, person, "assessor")
            _score(reassessment, person, 50)
        _finish(reassessment, world.alice, 60)
        counts.append(_report_queries(client, reassessment))
    assert counts[0] == counts[1], counts
