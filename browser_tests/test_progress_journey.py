"""Step 3 in the browser (issue 11, "done means"): in the demo's active network of Banja Luka, the
coordinator (dana) sets two goals, adds activities and schedules a monthly series; a member's user
(bob of Banja Luka) registers for the first meeting; dana records attendance and minutes with a
decision that becomes an action in the plan; the dashboards show the progress.

The demo's new network (Trebinje) has no demo user in its member municipalities, so the journey
runs in the active one, where alice and bob are members and dana coordinates.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from browser_tests.conftest import sign_in
from browser_tests.test_accessibility import serious
from mreza.accounts.models import User
from mreza.progress.demo import NETWORKS
from mreza.progress.models import Activity, Goal, Meeting, Workspace

pytestmark = pytest.mark.browser

ACTIVE_TITLE = next(title for key, title, *_rest in NETWORKS if key == "active")
SERIES = "Monthly HR experts' meeting 2027"
DECISION = "Banja Luka drafts a common onboarding checklist for new staff"


def person(browser, live_server, who):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, who)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    return page


def done_of_total(page, workspace):
    """(done, total) as the dashboard's progress panel shows them for the workspace."""
    row = page.locator(f"#wsp-{workspace.pk}")
    expect(row).to_be_visible()
    found = re.search(r"(\d+) % \((\d+) of (\d+)\)", row.inner_text())
    assert found, row.inner_text()
    return int(found.group(2)), int(found.group(3))


def iso(day):
    return day.isoformat()


def test_coordinator_runs_the_network_a_member_takes_part_and_the_dashboard_shows_it(
    browser, live_server, demo
):
    workspace = Workspace.objects.get(network__title=ACTIVE_TITLE)
    host = workspace.members.get(municipality__code="BA-BANJA-LUKA")
    alice, bob = (User.objects.get(email=f"{who}@mreza.demo") for who in ("alice", "bob"))
    today = timezone.localdate()
    # the demo's active network has goals and activities already
    goals_before = workspace.goals.count()
    owed_by_bob = workspace.activities.filter(
        responsible_person=bob, status__in=(Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)
    ).count()

    # dana's dashboard lists the network with its progress; she opens it from there
    dana = person(browser, live_server, "dana")
    dana.click("nav.main-nav >> text=Dashboard")
    expect(dana.locator("#wsp-h")).to_have_text("My networks")
    done_before, total_before = done_of_total(dana, workspace)
    assert not serious(Axe().run(dana))
    dana.locator(f"#wsp-{workspace.pk} th a").click()
    expect(dana).to_have_url(re.compile(rf"/workspaces/{workspace.pk}/$"))

    # two goals
    for title in ("Faster and fairer hiring", "A training plan for every member's staff"):
        dana.click("nav.tabs >> text=Goals")
        dana.click("text=New goal")
        dana.fill("input[name=title]", title)
        dana.fill("textarea[name=description]", "Agreed at the kick-off meeting.")
        dana.click("form.stacked button[type=submit]")
        expect(dana.locator(".messages")).to_contain_text("Saved.")
        expect(dana.locator("main")).to_contain_text(title)
    hiring = Goal.objects.get(workspace=workspace, title="Faster and fairer hiring")
    assert workspace.goals.count() == goals_before + 2

    # activities: one already done, one open that alice (Banja Luka) answers for
    activities = [
        ("Map the hiring procedures of all members", "done", -40, -5),
        ("Write a common job description template", "planned", 0, 60),
    ]
    for title, status, starts, due in activities:
        dana.click("nav.tabs >> text=Action plan")
        dana.click("text=Add an activity")
        dana.fill("input[name=title]", title)
        dana.select_option("select[name=goal]", str(hiring.pk))
        dana.select_option("select[name=responsible_member]", str(host.pk))
        dana.select_option("select[name=responsible_person]", str(alice.pk))
        dana.fill("input[name=starts_on]", iso(today + datetime.timedelta(days=starts)))
        dana.fill("input[name=due_on]", iso(today + datetime.timedelta(days=due)))
        dana.select_option("select[name=status]", status)
        if status == "done":
            dana.fill("input[name=completed_on]", iso(today - datetime.timedelta(days=5)))
        dana.fill("input[name=funding_source]", "own budget")
        dana.click("form.stacked button[type=submit]")
        expect(dana.locator(".messages")).to_contain_text("The activity is saved.")
        expect(dana.locator("main")).to_contain_text(title)
    assert Activity.objects.filter(workspace=workspace, goal=hiring).count() == 2

    # a monthly series of six meetings, the host rotating
    dana.click("nav.tabs >> text=Meetings")
    dana.click("text=Schedule a meeting or a monthly series")
    dana.fill("input[name=title]", SERIES)
    dana.fill("input[name=day]", iso(today + datetime.timedelta(days=7)))
    dana.fill("input[name=starts]", "10:00")
    dana.fill("input[name=ends]", "12:00")
    dana.fill("input[name=count]", "6")
    dana.select_option("select[name=host]", str(host.pk))
    dana.fill("input[name=location]", "Gradska uprava Banja Luka")
    dana.click("text=Schedule and invite")
    expect(dana.locator(".messages")).to_contain_text("Scheduled 6 meetings")
    series = list(Meeting.objects.filter(workspace=workspace, series__title=SERIES))
    assert len(series) == 6
    first = min(series, key=lambda m: m.starts_at)
    assert len({m.host_id for m in series}) > 1  # the host rotates

    # bob, a member's user, finds the meeting under "my networks" and registers
    member = person(browser, live_server, "bob")
    member.click("nav.main-nav >> text=Networks")
    card = member.locator(f"article[aria-labelledby='ws-{workspace.pk}-h']")
    card.locator(f"a[href='/workspaces/{workspace.pk}/meetings/{first.pk}/']").first.click()
    member.click("text=I will attend")
    expect(member.locator(".messages")).to_contain_text("You are registered for this meeting.")
    expect(member.locator("#reg-h")).to_have_text("Registered: 1 person")
    assert first.registrations.filter(user=bob).exists()

    # a week later the first meeting has taken place (the clock is moved, not waited for)
    began = timezone.now() - datetime.timedelta(hours=3)
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=began, ends_at=began + datetime.timedelta(hours=2)
    )

    meeting_url = f"/workspaces/{workspace.pk}/meetings/{first.pk}/"
    dana.goto(meeting_url)
    dana.click("text=Record attendance")
    row = dana.locator("table.attendance-form tr", has_text="Bojan Marković")
    row.get_by_label("present", exact=True).check()
    dana.click("text=Save attendance")
    expect(dana.locator(".messages")).to_contain_text("Attendance saved (1 person recorded).")
    expect(dana.locator("td.attendance-present")).to_have_count(1)

    dana.click("text=Write the minutes")
    dana.fill("textarea[name=minutes]", "Members compared their hiring procedures.")
    dana.click("text=Save the minutes")
    expect(dana.locator(".messages")).to_contain_text("Minutes saved.")
    expect(dana.locator(".minutes")).to_contain_text("compared their hiring procedures")
    expect(dana.locator("#meeting-h .badge")).to_have_text("held")

    form = dana.locator("form.decision-form")
    form.locator("textarea[name=text]").fill(DECISION)
    form.locator("select[name=member]").select_option(str(host.pk))
    form.locator("select[name=person]").select_option(str(bob.pk))
    form.locator("input[name=due_on]").fill(iso(today + datetime.timedelta(days=30)))
    form.locator("select[name=goal]").select_option(str(hiring.pk))
    form.locator("text=Record the decision").click()
    expect(dana.locator(".messages")).to_contain_text(
        "Decision recorded; its follow-up is in the action plan."
    )
    expect(dana.locator("section[aria-labelledby=dec-h] tbody")).to_contain_text(DECISION)
    dana.click("text=The follow-up actions in the action plan")
    expect(dana.locator("main")).to_contain_text(DECISION)
    follow_up = Activity.objects.get(decision__meeting=first)
    assert follow_up.responsible_person == bob and follow_up.goal == hiring

    # the dashboards show the progress: two activities and the follow-up more, one of them done
    dana.click("nav.main-nav >> text=Dashboard")
    assert done_of_total(dana, workspace) == (done_before + 1, total_before + 3)
    # the meeting held is no longer the next one
    row = dana.locator(f"#wsp-{workspace.pk}")
    expect(row.locator("td").nth(2).locator("a")).to_have_count(1)
    expect(row.locator(f"a[href='{meeting_url}']")).to_have_count(0)
    assert not serious(Axe().run(dana))

    member.click("nav.main-nav >> text=Dashboard")
    owed = member.locator(f"#wsp-{workspace.pk}")
    expect(owed).to_contain_text(
        "1 open activity" if owed_by_bob == 0 else f"{owed_by_bob + 1} open activities"
    )
    assert done_of_total(member, workspace) == (done_before + 1, total_before + 3)
