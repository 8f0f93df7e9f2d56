"""The report, an evaluation's page and a member's part cost the same number of queries however
many members, goals and indicators there are."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mreza.evaluation.models import MemberEvaluation
from mreza.evaluation.tests.test_report_numbers import (
    known,  # noqa: F401 (fixture)
    reassessed,
    submitted,
    survey_with_waves,
)
from mreza.progress.models import Activity, Indicator, Measurement, WorkspaceMember


def _queries(client, url):
    client.get(url)  # the first request of a session does more (session, language)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_members(w, caf, count):
    """`count` more members, each as rich as A: submitted, re-assessed, surveyed, measured."""
    for number in range(count):
        municipality = w.municipality(f"T-X{number}", f"Extra {number}")
        member = WorkspaceMember.objects.create(workspace=w.workspace, municipality=municipality)
        part = MemberEvaluation.objects.create(evaluation=w.evaluation, member=member)
        reassessed(part, caf, 30 + number, 60 + number)
        survey_with_waves(municipality, w.workspace, w.dana)
        Measurement.objects.create(
            indicator=w.turnover,
            member=member,
            measured_on=datetime.date(2025, 5, 1),
            value=Decimal(6),
            source="register",
        )
        Activity.objects.create(
            workspace=w.workspace,
            title=f"Activity {number}",
            responsible_member=member,
            starts_on=datetime.date(2025, 1, 1),
            due_on=datetime.date(2025, 2, 1),
            status=Activity.Status.DONE,
        )
        submitted(w, part, ("met", "partly"), f"Lessons {number}", w.dana)


def test_the_report_is_flat_in_the_number_of_members(known, caf, client):  # noqa: F811
    w = known
    client.force_login(w.dana)
    url = reverse("evaluation:report", args=[w.evaluation.pk])
    few = _queries(client, url)
    _more_members(w, caf, 4)
    many = _queries(client, url)
    assert "Lessons 3" in client.get(url).content.decode()
    assert many == few


def test_the_pdf_is_flat_too(known, caf, client):  # noqa: F811
    w = known
    client.force_login(w.dana)
    url = reverse("evaluation:report_pdf", args=[w.evaluation.pk])
    few = _queries(client, url)
    _more_members(w, caf, 3)
    assert _queries(client, url) == few


def test_the_evaluation_page_is_flat_in_the_number_of_parts(known, caf, client):  # noqa: F811
    w = known
    client.force_login(w.alice)
    url = reverse("evaluation:detail", args=[w.evaluation.pk])
    few = _queries(client, url)
    _more_members(w, caf, 3)
    assert _queries(client, url) == few


def test_a_part_is_flat_in_the_number_of_goals_and_indicators(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_a.pk])
    few = _queries(client, url)
    for number in range(3):
        goal = w.workspace.goals.create(title=f"Goal {number}", order=5 + number)
        indicator = Indicator.objects.create(
            goal=goal, name=f"Indicator {number}", unit="%", baseline=1, target=50
        )
        Measurement.objects.create(
            indicator=indicator,
            measured_on=datetime.date(2025, 4, 1),
            value=Decimal(10),
            source="x",
        )
    assert _queries(client, url) == few
