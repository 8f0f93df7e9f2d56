"""The action plan (issue 11 item 3): the page, its rules, the conflict of two editors, the quick
status actions, commitments, the exports and the public published plan."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from mreza.accounts.models import MunicipalRole, User
from mreza.core.models import AuditEntry
from mreza.progress.models import Activity, Commitment, Decision, Goal, Meeting, Workspace

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _activity(workspace, title="Training of HR staff", **extra):
    values = {
        "workspace": workspace,
        "title": title,
        "starts_on": TODAY - 30 * DAY,
        "due_on": TODAY + 30 * DAY,
    }
    values.update(extra)
    return Activity.objects.create(**values)


def _form(ws, **changes):
    data = {
        "title": "Joint training on recruitment",
        "goal": "",
        "description": "",
        "responsible_member": ws.member_a.pk,
        "responsible_person": ws.alice.pk,
        "starts_on": (TODAY - 10 * DAY).isoformat(),
        "due_on": (TODAY + 60 * DAY).isoformat(),
        "status": "planned",
        "completed_on": "",
        "cost": "1500.00",
        "currency": "BAM",
        "funding_source": "own budget",
        "risks": "",
    }
    data.update(changes)
    return data


def _url(ws, tail=""):
    return f"/workspaces/{ws.workspace.pk}/plan/{tail}"


# --------------------------------------------------------------------------- the page


def test_members_see_the_plan_grouped_by_goal_with_overdue_highlighted(ws, client):
    goal = Goal.objects.create(workspace=ws.workspace, title="Better recruitment")
    _activity(ws.workspace, "Write the job profiles", goal=goal, responsible_member=ws.member_c)
    late = _activity(
        ws.workspace,
        "Survey of the staff",
        starts_on=TODAY - 90 * DAY,
        due_on=TODAY - 5 * DAY,
        status="in_progress",
    )
    _activity(
        ws.workspace,
        "Old done one",
        due_on=TODAY - 3 * DAY,
        status="done",
        completed_on=TODAY - 4 * DAY,
    )
    client.force_login(ws.dino)  # staff of member D
    response = client.get(_url(ws))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Better recruitment" in html and "Without a goal" in html
    assert html.index("Better recruitment") < html.index("Write the job profiles")
    assert f'id="activity-{late.pk}" class="overdue"' in html
    assert "overdue by 5 days" in html
    # the timeline: two SVGs side by side (labels kept while the months scroll), a today line
    assert html.count("<svg") == 2
    assert 'class="gantt-scroll"' in html and "Today" in html
    assert response.context["totals"]["overdue"] == 1


def test_filters_by_member_status_and_overdue(ws, client):
    _activity(ws.workspace, "Of A", responsible_member=ws.member_a)
    _activity(ws.workspace, "Of C", responsible_member=ws.member_c, status="in_progress")
    _activity(
        ws.workspace,
        "Late of C",
        responsible_member=ws.member_c,
        starts_on=TODAY - 20 * DAY,
        due_on=TODAY - DAY,
    )
    client.force_login(ws.alice)

    def titles(query):
        response = client.get(_url(ws) + query)
        assert response.status_code == 200
        return sorted(a.title for g in response.context["groups"] for a in g["activities"])

    assert titles(f"?member={ws.member_c.pk}") == ["Late of C", "Of C"]
    assert titles("?status=in_progress") == ["Of C"]
    assert titles("?overdue=on") == ["Late of C"]
    assert titles("?member=nonsense") == ["Late of C", "Of A", "Of C"]  # ignored, not an error


def test_the_plan_page_runs_a_constant_number_of_queries(ws, client):
    goal = Goal.objects.create(workspace=ws.workspace, title="Goal")
    client.force_login(ws.alice)

    def count(url=None):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url or _url(ws))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    xlsx = f"/workspaces/{ws.workspace.pk}/plan.xlsx"

    _activity(
        ws.workspace, "One", goal=goal, responsible_member=ws.member_a, responsible_person=ws.alice
    )
    Commitment.objects.create(workspace=ws.workspace, member=ws.member_a, text="Host a meeting")
    count()  # warm the per-process caches (content types, the site's settings)
    few, few_xlsx = count(), count(xlsx)
    for i in range(25):
        activity = _activity(
            ws.workspace,
            f"Activity {i}",
            goal=goal if i % 2 else None,
            responsible_member=(ws.member_a, ws.member_c, ws.member_d)[i % 3],
            responsible_person=(ws.alice, ws.cora, ws.dino)[i % 3],
            due_on=TODAY + (i - 10) * DAY,
            starts_on=TODAY - 40 * DAY,
        )
        Commitment.objects.create(
            workspace=ws.workspace, member=ws.member_c, activity=activity, text=f"Promise {i}"
        )
    Goal.objects.create(workspace=ws.workspace, title="Another goal")
    assert count() == few
    assert count(xlsx) == few_xlsx


# --------------------------------------------------------------------------- adding and rules


def test_a_contributor_adds_an_activity_and_it_is_audited(ws, client):
    client.force_login(ws.cora)  # coordinator of member C
    response = client.post(
        _url(ws, "new/"),
        _form(ws, responsible_member=ws.member_c.pk, responsible_person=ws.cora.pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(workspace=ws.workspace)
    assert activity.responsible_person == ws.cora and activity.cost == 1500
    assert AuditEntry.objects.filter(object_id=str(activity.pk), container_id=ws.workspace.pk)


def test_the_new_activity_form_suggests_the_members_currency(ws, client):
    client.force_login(ws.alice)
    response = client.get(_url(ws, "new/"))
    assert response.status_code == 200
    country = ws.a.country.code
    assert response.context["form"]["currency"].initial == {"BA": "BAM", "BG": "BGN"}.get(
        country, {"RS": "RSD"}.get(country, "EUR")
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"due_on": (TODAY - 20 * DAY).isoformat()},
            "due_on",
            "The due date is before the start",
        ),
        ({"cost": "-1"}, "cost", "The cost cannot be below zero."),
        ({"cost": "250000000"}, "cost", "The cost is more than"),
        ({"status": "done"}, "completed_on", "Give the date the activity was completed."),
        (
            {"status": "done", "completed_on": (TODAY + 2 * DAY).isoformat()},
            "completed_on",
            "cannot be in the future",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    ws, client, changes, field, message
):
    client.force_login(ws.alice)
    response = client.post(_url(ws, "new/"), _form(ws, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_responsible_person_outside_the_network_is_refused(ws, client):
    client.force_login(ws.alice)
    response = client.post(_url(ws, "new/"), _form(ws, responsible_person=ws.charlie.pk))
    assert response.status_code == 200
    assert "outside the network" in " ".join(response.context["form"].errors["responsible_person"])
    assert not Activity.objects.exists()


def test_the_responsible_person_must_belong_to_the_responsible_member(ws, client):
    client.force_login(ws.alice)
    # cora is in the network (C), but not in A
    response = client.post(_url(ws, "new/"), _form(ws, responsible_person=ws.cora.pk))
    errors = " ".join(response.context["form"].errors["responsible_person"])
    assert "has no role in" in errors
    # the workspace's coordinator (dana) may answer for any member
    response = client.post(_url(ws, "new/"), _form(ws, responsible_person=ws.dana.pk))
    assert response.status_code == 302
    assert Activity.objects.get().responsible_person == ws.dana


def test_a_goal_or_member_of_another_workspace_is_refused(ws, client):
    other = Goal.objects.create(workspace=ws.twinning, title="Twinning goal")
    client.force_login(ws.alice)
    response = client.post(_url(ws, "new/"), _form(ws, goal=other.pk))
    assert "belongs to another workspace" in " ".join(response.context["form"].errors["goal"])
    response = client.post(_url(ws, "new/"), _form(ws, responsible_member=ws.twin_abroad.pk))
    assert (
        "Choose a member of this workspace."
        in response.context["form"].errors["responsible_member"]
    )
    assert not Activity.objects.exists()


def test_outsiders_cannot_add_and_anonymous_visitors_are_sent_to_sign_in(ws, client):
    client.force_login(ws.charlie)
    assert client.get(_url(ws, "new/")).status_code == 404
    assert client.post(_url(ws, "new/"), _form(ws)).status_code == 404
    client.logout()
    response = client.get(_url(ws))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Activity.objects.exists()


# --------------------------------------------------------------------------- editing


def test_two_members_editing_the_same_activity_get_a_conflict_with_their_text_kept(ws, client):
    activity = _activity(ws.workspace, responsible_member=ws.member_a, responsible_person=ws.alice)
    url = _url(ws, f"{activity.pk}/edit/")
    client.force_login(ws.alice)
    first = _form(ws, title="Alice's title", version=activity.version)
    second = _form(ws, title="Bob's better title", version=activity.version)
    assert client.post(url, first).status_code == 302
    client.force_login(ws.bob)
    response = client.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bob&#x27;s better title" in html or "Bob's better title" in html
    assert "Someone else changed this activity" in html
    activity.refresh_from_db()
    assert activity.title == "Alice's title" and activity.version == 2
    # the form now carries the current version: saving again replaces Alice's text
    assert response.context["form"]["version"].value() == 2
    response = client.post(url, {**second, "version": 2})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Bob's better title"


def test_edit_of_an_activity_of_another_workspace_is_404(ws, client):
    foreign = _activity(ws.twinning)
    client.force_login(ws.alice)
    assert client.get(_url(ws, f"{foreign.pk}/edit/")).status_code == 404


def test_quick_status_actions(ws, client):
    activity = _activity(ws.workspace)
    url = _url(ws, f"{activity.pk}/status/")
    client.force_login(ws.dino)
    assert client.post(url, {"action": "start", "version": 1}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "in_progress"
    done_on = TODAY - 2 * DAY
    client.post(url, {"action": "done", "version": 2, "completed_on": done_on.isoformat()})
    activity.refresh_from_db()
    assert (activity.status, activity.completed_on) == ("done", done_on)
    # a stale button (version 2) changes nothing
    response = client.post(url, {"action": "cancel", "version": 2}, follow=True)
    assert "Someone changed this activity meanwhile" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "done"
    client.post(url, {"action": "reopen", "version": 3})
    activity.refresh_from_db()
    assert (activity.status, activity.completed_on) == ("in_progress", None)
    client.post(url, {"action": "cancel", "version": 4})
    activity.refresh_from_db()
    assert activity.status == "cancelled"


def test_done_without_a_date_is_done_today_and_a_future_date_is_refused(ws, client):
    activity = _activity(ws.workspace)
    url = _url(ws, f"{activity.pk}/status/")
    client.force_login(ws.alice)
    future = (TODAY + 3 * DAY).isoformat()
    response = client.post(
        url, {"action": "done", "version": 1, "completed_on": future}, follow=True
    )
    assert "cannot be in the future" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"
    client.post(url, {"action": "done", "version": 1})
    activity.refresh_from_db()
    assert (activity.status, activity.completed_on) == ("done", TODAY)


def test_only_who_manages_deletes(ws, client):
    activity = _activity(ws.workspace)
    url = _url(ws, f"{activity.pk}/delete/")
    client.force_login(ws.alice)  # a member's coordinator contributes, does not manage
    assert client.post(url).status_code == 403
    client.force_login(ws.dana)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


# --------------------------------------------------------------------------- commitments


def test_commitments_add_edit_fulfil(ws, client):
    activity = _activity(ws.workspace)
    client.force_login(ws.cora)
    response = client.post(
        _url(ws, "commitments/new/"),
        {
            "member": ws.member_c.pk,
            "text": "Host the March meeting",
            "activity": activity.pk,
            "due_on": (TODAY - DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.workspace == ws.workspace
    html = client.get(_url(ws)).content.decode()
    assert (
        "Host the March meeting" in html
        and f'id="commitment-{commitment.pk}" class="overdue"' in html
    )
    edit = _url(ws, f"commitments/{commitment.pk}/edit/")
    data = {
        "member": ws.member_c.pk,
        "text": "Host the April meeting",
        "activity": "",
        "due_on": "",
        "version": 1,
    }
    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "text": "Mine"})
    assert stale.status_code == 409 and "Mine" in stale.content.decode()
    client.post(_url(ws, f"commitments/{commitment.pk}/fulfil/"), {"fulfilled": "on", "version": 2})
    commitment.refresh_from_db()
    assert commitment.is_fulfilled and commitment.text == "Host the April meeting"
    # a member of another workspace is refused
    response = client.post(
        _url(ws, "commitments/new/"), {"member": ws.twin_a.pk, "text": "Something"}
    )
    assert "Choose a member of this workspace." in response.context["form"].errors["member"]


# --------------------------------------------------------------------------- exports and public


def test_the_xlsx_export_has_the_plan_and_no_formula(ws, client):
    goal = Goal.objects.create(workspace=ws.workspace, title="Recruitment")
    _activity(
        ws.workspace,
        '=HYPERLINK("http://evil")',
        goal=goal,
        cost=100,
        currency="BAM",
        funding_source="+EU IPA",
        responsible_member=ws.member_c,
    )
    Commitment.objects.create(workspace=ws.workspace, member=ws.member_c, text="@home")
    client.force_login(ws.alice)
    response = client.get(f"/workspaces/{ws.workspace.pk}/plan.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    plan, commitments = workbook.worksheets
    header = [c.value for c in plan[1]]
    assert header[:2] == ["Goal", "Activity"]
    row = list(plan[2])
    assert row[0].value == "Recruitment"
    assert row[1].value == '=HYPERLINK("http://evil")' and row[1].data_type == "s"
    assert row[11].value == "+EU IPA" and row[11].data_type == "s"
    assert row[9].value == 100
    assert commitments["B2"].value == "@home" and commitments["B2"].data_type == "s"


def test_the_exports_are_in_the_readers_language_and_script(ws, client):
    _activity(ws.workspace, "Obuka zaposlenih", responsible_member=ws.member_c)
    alice = User.objects.get(pk=ws.alice.pk)
    alice.language = "sr-ijekavsk"
    alice.save()
    client.force_login(alice)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/workspaces/{ws.workspace.pk}/plan.xlsx").content)
    )
    sheet = workbook.worksheets[0]
    assert sheet["B2"].value == "Обука запослених"  # typed in Latin, read in Cyrillic
    assert sheet["G1"].value == "Статус"  # the header in the reader's language


def test_the_pdf_export_has_the_timeline(ws, client):
    _activity(ws.workspace, "Late one", due_on=TODAY - 2 * DAY, starts_on=TODAY - 9 * DAY)
    client.force_login(ws.alice)
    response = client.get(f"/workspaces/{ws.workspace.pk}/plan.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Late one" in text and "Today" in text  # the table and the timeline drawn into it
    assert "overdue by 2 days" in text


def test_a_published_plan_is_public_with_names_but_no_addresses_and_no_buttons(ws, client):
    Workspace.objects.filter(pk=ws.workspace.pk).update(is_published=True)
    MunicipalRole.objects.filter(user=ws.cora).update()
    _activity(
        ws.workspace, "Public activity", responsible_member=ws.member_c, responsible_person=ws.cora
    )
    response = client.get(_url(ws))  # anonymous
    assert response.status_code == 200
    html = response.content.decode()
    assert "Public activity" in html and "Cora" in html
    assert "cora@example.org" not in html
    assert "/plan/new/" not in html and "/status/" not in html
    for tail in ("plan.xlsx", "plan.pdf"):
        assert client.get(f"/workspaces/{ws.workspace.pk}/{tail}").status_code == 200
    # the published plan is still not open for changes
    response = client.get(_url(ws, "new/"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(ws.charlie)
    assert client.get(_url(ws)).status_code == 200
    assert client.get(_url(ws, "new/")).status_code == 404


def test_an_unpublished_plan_and_its_exports_are_private(ws, client):
    client.force_login(ws.charlie)
    for tail in ("plan/", "plan.xlsx", "plan.pdf"):
        assert client.get(f"/workspaces/{ws.workspace.pk}/{tail}").status_code == 404


def test_a_follow_up_of_a_meeting_decision_names_its_meeting(ws, client):
    starts = timezone.now() - datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        workspace=ws.workspace,
        title="March meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status="held",
    )
    decision = Decision.objects.create(meeting=meeting, text="Draft the handbook")
    _activity(ws.workspace, "Draft the handbook", decision=decision)
    client.force_login(ws.bob)
    html = client.get(_url(ws)).content.decode()
    assert "Follow-up of a decision of the meeting" in html
    assert f'href="/workspaces/{ws.workspace.pk}/meetings/{meeting.pk}/"' in html


def test_the_person_made_responsible_for_an_activity_is_notified_once(
    ws, django_capture_on_commit_callbacks
):
    import datetime

    from mreza.progress.models import Activity, Notification
    from mreza.progress.services import plan as plan_services

    activity = Activity(
        title="Анкета запослених",
        starts_on=datetime.date(2026, 1, 5),
        due_on=datetime.date(2026, 2, 5),
        responsible_member=ws.member_a,
        responsible_person=ws.bob,
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.save_activity(ws.workspace, activity, [], 0)
    with django_capture_on_commit_callbacks(execute=True):
        activity.title = "Анкета свих запослених"
        plan_services.save_activity(ws.workspace, activity, ["title"], activity.version)
    sent = Notification.objects.filter(user=ws.bob, kind="assigned")
    # one notification (the edit of the title kept the same person), in the reader's script
    assert sent.count() == 1
    assert any(t in sent.get().subject for t in ("Анкета запослених", "Anketa zaposlenih"))
    with django_capture_on_commit_callbacks(execute=True):
        activity.refresh_from_db()
        activity.responsible_person = ws.alice
        plan_services.save_activity(
            ws.workspace, activity, ["responsible_person"], activity.version
        )
    assert Notification.objects.filter(user=ws.alice, kind="assigned").count() == 1
