"""The demo surveys (issue 12 item 5): two closed waves with a few hundred responses each for the
demo municipalities present, Banja Luka visibly better after, one open wave with a public link;
a re-run adds nothing."""

import io

from mreza.progress.models import Workspace, WorkspaceMember
from mreza.surveys import demo
from mreza.surveys.models import Response, Survey, Wave
from mreza.surveys.services import breakdowns, results


def test_demo_surveys_show_real_numbers_and_an_open_link(world):
    banja_luka = world.municipality("BA-BANJA-LUKA", "Бања Лука")
    kragujevac = world.municipality("RS-70645", "Крагујевац")  # Smolyan is absent: skipped
    workspace = Workspace.objects.create(kind=Workspace.Kind.NETWORK, title="Citizens first")
    WorkspaceMember.objects.create(workspace=workspace, municipality=banja_luka)
    out = io.StringIO()

    link = demo.load(out)

    survey = Survey.objects.get(municipality=banja_luka, previous_version=None)
    newest = Survey.objects.get(previous_version=survey)
    assert link == f"/s/{newest.public_token}/" and link in out.getvalue()
    assert survey.workspace == workspace and survey.results_public
    assert Survey.objects.get(municipality=kragujevac).workspace is None
    closed = survey.waves.filter(status=Wave.Status.CLOSED)
    assert closed.count() == 2
    counts = [w.responses.count() for w in closed]
    assert all(count >= 300 for count in counts)
    first, last = closed.order_by("position")
    assert 330 <= (last.opens_on - first.opens_on).days <= 400  # about a year apart
    assert Response.objects.filter(wave__survey=survey, channel="paper").exists()
    assert newest.waves.get().status == Wave.Status.OPEN

    change = results.satisfaction_change(newest)  # the waves of the earlier version count
    assert change.comparison.verdict == "likely_change"
    assert change.comparison.direction == "up"
    assert change.sentence.startswith("The rise from ")

    ages = breakdowns.breakdown(results.wave_results(first, language="en"), "age")
    assert len(ages.shown) >= 4  # mixed demographics

    before = Response.objects.count()
    assert demo.load() == link  # a re-run changes nothing
    assert Response.objects.count() == before
