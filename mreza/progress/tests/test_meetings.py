"""Meetings: scheduling (one-off, monthly series with a rotating host), invitations by e-mail with
iCalendar, changes and cancellation, agenda, registration, attendance, minutes (409 on a stale
save), decisions that become follow-up actions; constant query counts (issue 11, item 4)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.accounts.models import MunicipalRole
from mreza.core.access import workspace_history
from mreza.progress.models import Activity, Attendance, Meeting, Registration
from mreza.progress.services import meetings as services

TEN = datetime.time(10, 0)
NOON = datetime.time(12, 0)


def soon(days=7):
    return timezone.localdate() + datetime.timedelta(days=days)


def meeting_in(ws, days=7, **extra):
    """A meeting `days` from today (negative: in the past), no invitations."""
    return services.schedule(
        ws.workspace,
        title=extra.pop("title", "Monthly meeting"),
        first_day=timezone.localdate() + datetime.timedelta(days=days),
        starts=TEN,
        ends=NOON,
        invite=False,
        allow_past=True,
        **extra,
    )[0]


def url(ws, meeting=None, tail=""):
    base = f"/workspaces/{ws.workspace.pk}/meetings/"
    return base + (f"{meeting.pk}/" if meeting else "") + tail


def post_schedule(client, ws, **values):
    data = {
        "title": "Експертски састанак",
        "day": soon().isoformat(),
        "starts": "10:00",
        "ends": "12:00",
        "count": "1",
        "rotate_host": "on",
        "location": "Градска управа",
        "online_url": "https://meet.example.org/hr",
        **values,
    }
    return client.post(url(ws, tail="new/"), data)


def calendars_of(message):
    return [
        (part.get_param("method"), icalendar.Calendar.from_ical(part.get_payload(decode=True)))
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


# ---------------------------------------------------------------- scheduling and invitations


def test_a_one_off_meeting_invites_every_user_of_the_members_with_an_ics_request(ws, client):
    client.force_login(ws.dana)
    response = post_schedule(client, ws)
    meeting = Meeting.objects.get(workspace=ws.workspace)
    assert response.status_code == 302
    assert response["Location"] == url(ws, meeting)
    assert meeting.series is None and meeting.sequence == 0
    assert timezone.localtime(meeting.starts_at).time() == TEN
    recipients = sorted(m.to[0] for m in mail.outbox)
    # alice and bob of A, cora of C, dino of D; not charlie (B), not dana (runs it, no member)
    assert recipients == sorted(u.email for u in (ws.alice, ws.bob, ws.cora, ws.dino))
    method, cal = calendars_of(mail.outbox[0])[0]
    assert method == "REQUEST"
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@mreza"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["SUMMARY"]) == "Ekspertski sastanak"  # an English reader: Latin script
    assert event["ORGANIZER"]


def test_invitations_come_in_each_users_language_script(ws, client):
    ws.cora.language = "sr"
    ws.cora.save()
    ws.dino.language = "sr-latn"
    ws.dino.save()
    client.force_login(ws.dana)
    post_schedule(client, ws, title="Састанак мреже")
    by_user = {m.to[0]: m for m in mail.outbox}
    cora, dino = by_user[ws.cora.email], by_user[ws.dino.email]
    assert "Састанак мреже" in cora.subject and "Састанак мреже" in cora.body
    assert "Sastanak mreže" in dino.subject and "Sastanak mreže" in dino.body
    (_, cal) = calendars_of(dino)[0]
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Sastanak mreže"
    (_, cal) = calendars_of(cora)[0]
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Састанак мреже"


def test_invitations_follow_the_notification_choice_and_can_be_unsubscribed(ws, client):
    from mreza.progress.models import NotificationSettings

    NotificationSettings.objects.create(
        user=ws.cora, mode=NotificationSettings.Mode.NONE, unsubscribe_token="cora-token"
    )
    client.force_login(ws.dana)
    post_schedule(client, ws)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(u.email for u in (ws.alice, ws.bob, ws.dino))  # not cora
    message = next(m for m in mail.outbox if m.to[0] == ws.bob.email)
    token = NotificationSettings.objects.get(user=ws.bob).unsubscribe_token
    assert f"/workspaces/unsubscribe/{token}/" in message.body
    assert token in message.extra_headers["List-Unsubscribe"]


def test_a_monthly_series_keeps_the_weekday_of_the_month_and_rotates_the_host(ws, client):
    client.force_login(ws.dana)
    first = soon(10)
    response = post_schedule(client, ws, day=first.isoformat(), count="4", host=ws.member_c.pk)
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(workspace=ws.workspace).order_by("starts_at"))
    assert len(meetings) == 4
    assert meetings[0].series is not None and meetings[0].series.count == 4
    week = (first.day - 1) // 7
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at)
        assert day.weekday() == first.weekday()
        assert day.time() == TEN  # the same wall-clock time across daylight saving
        assert min((day.day - 1) // 7, 3) == min(week, 3)
    # members in order A, C, D: from C, then D, then A, then C
    assert [m.host for m in meetings] == [ws.member_c, ws.member_d, ws.member_a, ws.member_c]
    # one e-mail per person with one calendar file per meeting
    assert len(mail.outbox) == 4
    assert len(calendars_of(mail.outbox[0])) == 4


def test_monthly_dates_use_the_last_weekday_when_the_first_is_in_the_fifth_week():
    # 30 January 2026 is the fifth Friday; February has four: its last Friday is the 27th
    dates = services.monthly_dates(datetime.date(2026, 1, 30), 3)
    assert dates == [
        datetime.date(2026, 1, 30),
        datetime.date(2026, 2, 27),
        datetime.date(2026, 3, 27),
    ]
    # the second Tuesday stays the second Tuesday, across the year's end
    assert services.monthly_dates(datetime.date(2026, 12, 8), 2) == [
        datetime.date(2026, 12, 8),
        datetime.date(2027, 1, 12),
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"day": "2020-01-07"}, "cannot be scheduled in the past"),
        ({"starts": "12:00", "ends": "10:00"}, "must end after it starts"),
        ({"count": "30"}, "less than or equal to 24"),
        ({"online_url": "javascript:alert(1)"}, "http://"),
    ],
)
def test_bad_scheduling_is_refused_with_a_message_and_nothing_saved(ws, client, values, message):
    client.force_login(ws.dana)
    response = post_schedule(client, ws, **values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()
    assert not mail.outbox


def test_the_service_refuses_a_past_meeting_too(ws):
    with pytest.raises(services.MeetingRefused):
        services.schedule(
            ws.workspace,
            title="Late",
            first_day=timezone.localdate() - datetime.timedelta(days=1),
            starts=TEN,
            ends=NOON,
        )
    assert not Meeting.objects.exists()


def test_only_who_runs_the_workspace_schedules(ws, client):
    client.force_login(ws.alice)  # a member's coordinator, not the network's
    assert client.get(url(ws, tail="new/")).status_code == 403
    assert post_schedule(client, ws).status_code == 403
    client.force_login(ws.charlie)
    assert client.get(url(ws)).status_code == 404
    client.force_login(ws.dana)
    assert client.get(url(ws, tail="new/")).status_code == 200
    assert not Meeting.objects.exists()


def test_moving_a_meeting_raises_its_sequence_and_sends_the_change(ws, client):
    meeting = meeting_in(ws, 7)
    client.force_login(ws.dana)
    page = client.get(url(ws, meeting, "edit/"))
    assert page.status_code == 200
    response = client.post(
        url(ws, meeting, "edit/"),
        {
            "title": meeting.title,
            "day": soon(8).isoformat(),
            "starts": "11:00",
            "ends": "13:00",
            "host": ws.member_d.pk,
            "location": "",
            "online_url": "",
            "version": meeting.version,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.host == ws.member_d
    assert timezone.localtime(meeting.starts_at).date() == soon(8)
    method, cal = calendars_of(mail.outbox[0])[0]
    event = cal.walk("VEVENT")[0]
    assert method == "REQUEST" and event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"{meeting.uid}@mreza"
    assert "Changed" in mail.outbox[0].subject


def test_moving_a_meeting_into_the_past_or_backwards_is_refused(ws, client):
    meeting = meeting_in(ws, 7)
    client.force_login(ws.dana)
    base = {"title": "x", "host": "", "location": "", "online_url": "", "version": 1}
    past = client.post(
        url(ws, meeting, "edit/"),
        {**base, "day": "2020-05-05", "starts": "10:00", "ends": "12:00"},
    )
    assert past.status_code == 400 and "into the past" in past.content.decode()
    backwards = client.post(
        url(ws, meeting, "edit/"),
        {**base, "day": soon(9).isoformat(), "starts": "12:00", "ends": "09:00"},
    )
    assert backwards.status_code == 400
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.title == "Monthly meeting"
    assert not mail.outbox


def test_a_stale_change_of_a_meeting_is_a_conflict(ws, client):
    meeting = meeting_in(ws, 7)
    services.update_meeting(meeting, {"location": "Sala 2"}, meeting.version, invite=False)
    client.force_login(ws.dana)
    response = client.post(
        url(ws, meeting, "edit/"),
        {
            "title": "My title",
            "day": soon(7).isoformat(),
            "starts": "10:00",
            "ends": "12:00",
            "host": "",
            "location": "Sala 3",
            "online_url": "",
            "version": 1,
        },
    )
    assert response.status_code == 409
    assert "My title" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location == "Sala 2"


def test_cancelling_sends_an_ics_cancel_with_a_higher_sequence(ws, client):
    meeting = meeting_in(ws, 7)
    client.force_login(ws.dana)
    response = client.post(url(ws, meeting, "cancel/"), {"version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.sequence == 1
    method, cal = calendars_of(mail.outbox[0])[0]
    event = cal.walk("VEVENT")[0]
    assert method == "CANCEL" and cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    # a cancelled meeting cannot be cancelled or registered for again
    mail.outbox.clear()
    client.post(url(ws, meeting, "cancel/"), {"version": meeting.version})
    assert not mail.outbox


# ---------------------------------------------------------------- agenda and registration


def test_who_manages_edits_the_agenda(ws, client):
    meeting = meeting_in(ws, 7)
    client.force_login(ws.bob)
    assert client.post(url(ws, meeting, "agenda/"), {"title": "Budget"}).status_code == 403
    client.force_login(ws.dana)
    client.post(url(ws, meeting, "agenda/"), {"title": "Budget", "notes": "2027"})
    client.post(url(ws, meeting, "agenda/"), {"title": "Training"})
    items = list(meeting.agenda.all())
    assert [i.title for i in items] == ["Budget", "Training"]
    client.post(
        url(ws, meeting, f"agenda/{items[1].pk}/"), {"title": "Training plan", "order": "0"}
    )
    assert [i.title for i in meeting.agenda.all()] == ["Training plan", "Budget"]
    client.post(url(ws, meeting, f"agenda/{items[0].pk}/"), {"action": "delete"})
    assert [i.title for i in meeting.agenda.all()] == ["Training plan"]
    page = client.get(url(ws, meeting)).content.decode()
    assert "Training plan" in page


def test_a_member_registers_and_withdraws(ws, client):
    meeting = meeting_in(ws, 7)
    client.force_login(ws.dino)
    page = client.get(url(ws, meeting)).content.decode()
    assert "I will attend" in page
    assert client.post(url(ws, meeting, "register/")).status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=ws.dino)
    assert registration.member == ws.member_d
    client.post(url(ws, meeting, "register/"))  # twice is once
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert "Withdraw my registration" in client.get(url(ws, meeting)).content.decode()
    client.post(url(ws, meeting, "withdraw/"))
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_registration_is_for_people_of_members_and_for_meetings_to_come(ws, client):
    upcoming, past = meeting_in(ws, 7), meeting_in(ws, -7)
    client.force_login(ws.dana)  # runs the network, but works for no member
    client.post(url(ws, upcoming, "register/"))
    client.force_login(ws.charlie)  # outside the network
    assert client.post(url(ws, upcoming, "register/")).status_code == 404
    client.force_login(ws.bob)
    client.post(url(ws, past, "register/"))
    assert not Registration.objects.exists()


# ---------------------------------------------------------------- attendance, minutes, decisions


def test_attendance_is_recorded_per_person_and_marks_the_meeting_held(ws, client):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    page = client.get(url(ws, meeting, "attendance/"))
    assert page.status_code == 200
    response = client.post(
        url(ws, meeting, "attendance/"),
        {f"p{ws.alice.pk}": "present", f"p{ws.cora.pk}": "excused", f"p{ws.dino.pk}": "absent"},
    )
    assert response.status_code == 302
    rows = {a.user_id: (a.status, a.member_id) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {
        ws.alice.pk: ("present", ws.member_a.pk),
        ws.cora.pk: ("excused", ws.member_c.pk),
        ws.dino.pk: ("absent", ws.member_d.pk),
    }
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    # a change and a cleared row
    client.post(
        url(ws, meeting, "attendance/"),
        {f"p{ws.alice.pk}": "excused", f"p{ws.cora.pk}": "excused", f"p{ws.dino.pk}": ""},
    )
    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        ws.alice.pk: "excused",
        ws.cora.pk: "excused",
    }


def test_attendance_for_a_non_member_is_refused_and_nothing_saved(ws, client):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    response = client.post(
        url(ws, meeting, "attendance/"),
        {f"p{ws.alice.pk}": "present", f"p{ws.charlie.pk}": "present"},
    )
    assert response.status_code == 400
    assert "only for people of the member municipalities" in response.content.decode()
    assert not Attendance.objects.exists()
    with pytest.raises(services.MeetingRefused):
        services.record_attendance(meeting, {ws.alice.pk: "present", ws.charlie.pk: "present"})
    assert not Attendance.objects.exists()


def test_attendance_waits_until_the_meeting_has_begun(ws, client):
    meeting = meeting_in(ws, 3)
    client.force_login(ws.dana)
    response = client.post(url(ws, meeting, "attendance/"), {f"p{ws.alice.pk}": "present"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_minutes_are_versioned_and_a_stale_save_is_a_409_with_the_text_kept(ws, client):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    assert client.get(url(ws, meeting, "minutes/")).status_code == 200
    first = client.post(url(ws, meeting, "minutes/"), {"minutes": "We agreed.", "version": 1})
    assert first.status_code == 302
    stale = client.post(url(ws, meeting, "minutes/"), {"minutes": "My own notes", "version": 1})
    assert stale.status_code == 409
    assert "My own notes" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "We agreed." and meeting.version == 2
    assert meeting.status == Meeting.Status.HELD
    again = client.post(url(ws, meeting, "minutes/"), {"minutes": "My own notes", "version": 2})
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "My own notes"


def test_a_decision_becomes_a_follow_up_action_in_the_plan(ws, client):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url(ws, meeting, "decisions/new/"),
        {
            "text": "Cora drafts the training plan\nwith the other members",
            "member": ws.member_c.pk,
            "person": ws.cora.pk,
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(workspace=ws.workspace)
    assert activity.decision.meeting == meeting
    assert activity.title == "Cora drafts the training plan"
    assert activity.responsible_member == ws.member_c
    assert activity.responsible_person == ws.cora
    assert activity.due_on == due
    page = client.get(url(ws, meeting)).content.decode()
    assert "Cora drafts the training plan" in page


@pytest.mark.parametrize(
    ("person", "due_days", "message"),
    [
        ("dino", 30, "must work for the member"),  # dino is D's, the owner is C
        ("charlie", 30, "Select a valid choice"),  # outside the network
        ("cora", -10, "cannot be due before the meeting"),
    ],
)
def test_a_decision_with_a_wrong_owner_or_date_is_refused(ws, client, person, due_days, message):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    response = client.post(
        url(ws, meeting, "decisions/new/"),
        {
            "text": "Something",
            "member": ws.member_c.pk,
            "person": getattr(ws, person).pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=due_days)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()
    assert not meeting.decisions.exists()


def test_the_service_refuses_an_owner_outside_the_member(ws):
    meeting = meeting_in(ws, -1)
    with pytest.raises(services.MeetingRefused):
        services.add_decision(
            meeting,
            text="x",
            member=ws.member_c,
            person=ws.charlie,
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert not Activity.objects.exists()


def test_changes_are_in_the_workspace_history(ws, client):
    meeting = meeting_in(ws, -1)
    client.force_login(ws.dana)
    client.post(url(ws, meeting, "minutes/"), {"minutes": "Noted.", "version": 1})
    kinds = {e.content_type.model for e in workspace_history(ws.dana, ws.workspace)}
    assert {"meeting"} <= kinds


# ---------------------------------------------------------------- pages and query counts


def _queries(client, path):
    client.get(path)  # the first request of a session stores it; count a steady one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def _grow(ws, n, offset):
    """n more past meetings with registrations, attendance, agenda and decisions; more people."""
    for i in range(n):
        user = ws.user(f"person{offset}{i}")
        MunicipalRole.objects.create(user=user, municipality=ws.c, role="staff")
        past = meeting_in(ws, -(offset * 10 + i + 2), title=f"Held {offset}-{i}")
        services.add_agenda_item(past, f"Item {i}")
        services.record_attendance(past, {user.pk: "present", ws.alice.pk: "excused"})
        services.add_decision(
            past, text=f"Decision {i}", member=ws.member_c, person=user, due_on=soon(30)
        )
        upcoming = meeting_in(ws, offset * 10 + i + 2, title=f"Next {offset}-{i}")
        services.register(upcoming, user)
        services.register(upcoming, ws.bob)


def test_the_meetings_list_runs_a_constant_number_of_queries(ws, client):
    client.force_login(ws.dana)
    _grow(ws, 1, 1)
    small = _queries(client, url(ws))
    _grow(ws, 5, 3)
    assert _queries(client, url(ws)) == small
    client.force_login(ws.bob)
    assert "Next 3-4" in client.get(url(ws)).content.decode()


def test_a_meeting_page_runs_a_constant_number_of_queries(ws, client):
    past = meeting_in(ws, -1)
    upcoming = meeting_in(ws, 5)
    client.force_login(ws.dana)
    small_past, small_upcoming = (
        _queries(client, url(ws, past)),
        _queries(client, url(ws, upcoming)),
    )
    for i in range(6):
        user = ws.user(f"grow{i}")
        MunicipalRole.objects.create(user=user, municipality=ws.d, role="staff")
        services.add_agenda_item(past, f"Item {i}")
        services.add_agenda_item(upcoming, f"Item {i}")
        services.record_attendance(past, {user.pk: "present"})
        services.add_decision(past, text=f"D {i}", member=ws.member_d, person=user, due_on=soon())
        services.register(upcoming, user)
    assert _queries(client, url(ws, past)) == small_past
    assert _queries(client, url(ws, upcoming)) == small_upcoming
    client.force_login(ws.dino)
    assert _queries(client, url(ws, upcoming)) <= small_upcoming
