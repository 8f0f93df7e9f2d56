"""Notifications (issue 11, item 10): each user's choice (at once, weekly digest, none), the
reminders of overdue activities and upcoming meetings (once each), the unsubscribe link that needs
no sign-in, and e-mails in the recipient's language and script."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mreza.progress.models import Activity, Meeting, Notification, NotificationSettings
from mreza.progress.services import discussion, notifications

pytestmark = pytest.mark.django_db

Mode = NotificationSettings.Mode


def choose(user, mode):
    notifications.set_mode(user, mode)


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_immediate_is_the_default_and_each_notification_is_one_e_mail(ws):
    discussion.add_post(ws.workspace, ws.alice, "Agenda for March is ready")
    assert len(mails_to(ws.bob)) == 1
    assert Notification.objects.get(user=ws.bob).sent_at is not None
    message = mails_to(ws.bob)[0]
    assert "Agenda for March is ready" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_weekly_digest_sends_no_immediate_mail_and_one_digest(ws):
    choose(ws.bob, Mode.WEEKLY)
    NotificationSettings.objects.filter(user=ws.bob).update(
        last_digest_at=timezone.now() - datetime.timedelta(days=8)
    )
    discussion.add_post(ws.workspace, ws.alice, "First message")
    discussion.add_post(ws.workspace, ws.cora, "Second message, for @Bob")
    assert mails_to(ws.bob) == []
    call_command("send_progress_digests", verbosity=0)
    digests = mails_to(ws.bob)
    assert len(digests) == 1
    digest = digests[0]
    assert "2 notifications" in digest.subject
    assert "Human resources" in digest.body  # grouped by workspace
    assert "Cora mentioned you" in digest.body and "New message from Alice" in digest.body
    assert "/discussion/#post-" in digest.body and "/workspaces/unsubscribe/" in digest.body
    assert not Notification.objects.filter(user=ws.bob, sent_at__isnull=True).exists()
    # the next run (within the week) sends nothing more
    discussion.add_post(ws.workspace, ws.alice, "Third")
    call_command("send_progress_digests", verbosity=0)
    assert len(mails_to(ws.bob)) == 1
    # a week later the third one comes in the next digest
    NotificationSettings.objects.filter(user=ws.bob).update(
        last_digest_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    Notification.objects.filter(user=ws.bob, sent_at__isnull=True).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    call_command("send_progress_digests", verbosity=0)
    assert len(mails_to(ws.bob)) == 2 and "1 notification)" in mails_to(ws.bob)[1].subject


def test_mode_none_sends_nothing_but_keeps_the_list(ws, client):
    choose(ws.bob, Mode.NONE)
    discussion.add_post(ws.workspace, ws.alice, "Hello @Bob")
    call_command("send_progress_digests", verbosity=0)
    assert mails_to(ws.bob) == []
    client.force_login(ws.bob)
    page = client.get("/workspaces/notifications/").content.decode()
    assert "Alice mentioned you" in page


def test_the_settings_page_saves_the_choice(ws, client):
    client.force_login(ws.bob)
    assert client.get("/workspaces/notifications/").status_code == 200
    assert client.post("/workspaces/notifications/", {"mode": "weekly"}).status_code == 302
    assert NotificationSettings.objects.get(user=ws.bob).mode == Mode.WEEKLY
    assert client.post("/workspaces/notifications/", {"mode": "hourly"}).status_code == 400
    client.logout()
    assert client.get("/workspaces/notifications/").status_code == 302
    client.force_login(ws.bob)
    assert "/workspaces/notifications/" in client.get("/account/settings/").content.decode()


def _unsubscribe_path(user):
    body = mails_to(user)[0].body
    found = re.search(r"https?://\S+/workspaces/unsubscribe/\S+/", body)
    assert found is not None
    return "/" + found.group().split("://", 1)[1].split("/", 1)[1]


def test_opening_the_unsubscribe_link_only_asks(ws, client):
    """Mail scanners and link previews follow links: a GET changes nothing."""
    discussion.add_post(ws.workspace, ws.alice, "Hello")
    path = _unsubscribe_path(ws.bob)
    for _ in range(2):
        response = client.get(path)  # anonymous
        assert response.status_code == 200
        body = response.content.decode()
        assert '<form method="post"' in body and "Yes, send me no more e-mails" in body
    assert NotificationSettings.objects.get(user=ws.bob).mode == Mode.IMMEDIATE
    mail.outbox.clear()
    discussion.add_post(ws.workspace, ws.alice, "Still here")
    assert len(mails_to(ws.bob)) == 1


def test_the_confirmation_button_unsubscribes_without_signing_in(ws, client):
    discussion.add_post(ws.workspace, ws.alice, "Hello")
    path = _unsubscribe_path(ws.bob)
    client.get(path)  # the page of the link, then its button (no CSRF token: the secret is proof)
    response = client.post(path)
    assert response.status_code == 200
    assert "no more e-mails" in response.content.decode()
    assert NotificationSettings.objects.get(user=ws.bob).mode == Mode.NONE
    mail.outbox.clear()
    discussion.add_post(ws.workspace, ws.alice, "Hello again")
    assert mails_to(ws.bob) == []
    # opening the link again says so, and changes nothing
    body = client.get(path).content.decode()
    assert "already unsubscribed" in body and "<form" not in body.split("<main", 1)[1]


def test_mail_clients_one_click_post_unsubscribes(ws, client):
    """RFC 8058: the client posts `List-Unsubscribe=One-Click` to the List-Unsubscribe address."""
    discussion.add_post(ws.workspace, ws.alice, "Hello")
    message = mails_to(ws.bob)[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert address in message.body
    path = "/" + address.split("://", 1)[1].split("/", 1)[1]
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationSettings.objects.get(user=ws.bob).mode == Mode.NONE


def test_a_wrong_unsubscribe_token_is_a_404_and_changes_nothing(ws, client):
    discussion.add_post(ws.workspace, ws.alice, "Hello")
    assert client.get("/workspaces/unsubscribe/not-a-token/").status_code == 404
    response = client.post("/workspaces/unsubscribe/not-a-token/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert NotificationSettings.objects.get(user=ws.bob).mode == Mode.IMMEDIATE


def test_e_mails_are_in_the_recipients_language_and_script(ws):
    ws.bob.language = "bg"
    ws.bob.save()
    ws.cora.language = "sr-latn"
    ws.cora.save()
    ws.workspace.title = "Људски ресурси"
    ws.workspace.save()
    notifications.notify(
        [ws.bob, ws.cora, ws.dino],
        Notification.Kind.INVITATION,
        ws.workspace,
        gettext_lazy("Mreža"),
        "Body",
        "/workspaces/",
    )
    bulgarian, latin, english = mails_to(ws.bob)[0], mails_to(ws.cora)[0], mails_to(ws.dino)[0]
    assert bulgarian.subject == "Мрежа" and english.subject == "Mreža"
    assert "Мрежа\n--" in bulgarian.body and "Mreža\n--" in english.body
    assert "Ljudski resursi" in latin.body and "Људски ресурси" not in latin.body
    assert "Ljudski resursi" in english.body  # Latin for readers of a Latin UI


def test_a_cyrillic_reader_gets_cyrillic(ws):
    ws.bob.language = "sr-ijekavsk"
    ws.bob.save()
    ws.workspace.title = "Ljudski resursi"
    ws.workspace.save()
    notifications.notify([ws.bob], "invitation", ws.workspace, "S", "B", "/")
    assert "Људски ресурси" in mails_to(ws.bob)[0].body


def test_a_mention_in_bulgarian_subject(ws):
    ws.dino.language = "bg"
    ws.dino.save()
    discussion.add_post(ws.workspace, ws.alice, "@Dino")
    row = Notification.objects.get(user=ws.dino)
    assert row.kind == Notification.Kind.MENTION
    assert mails_to(ws.dino)[0].subject == row.subject


def test_dedupe_key_prevents_doubles(ws):
    for _ in range(2):
        notifications.notify(
            [ws.bob, ws.bob], "meeting", ws.workspace, "S", "B", "/", dedupe_key="k:1"
        )
    assert Notification.objects.filter(user=ws.bob).count() == 1
    assert len(mails_to(ws.bob)) == 1


def test_reminders_of_overdue_activities_and_upcoming_meetings_are_queued_once(ws):
    today = timezone.localdate()
    late = Activity.objects.create(
        workspace=ws.workspace,
        title="Collect the HR figures",
        responsible_member=ws.member_d,
        responsible_person=ws.dino,
        starts_on=today - datetime.timedelta(days=20),
        due_on=today - datetime.timedelta(days=1),
    )
    Activity.objects.create(  # done: no reminder
        workspace=ws.workspace,
        title="Done one",
        responsible_person=ws.dino,
        starts_on=today - datetime.timedelta(days=20),
        due_on=today - datetime.timedelta(days=2),
        status="done",
    )
    Activity.objects.create(  # not yet due
        workspace=ws.workspace,
        title="Later",
        responsible_person=ws.dino,
        starts_on=today,
        due_on=today + datetime.timedelta(days=5),
    )
    soon = timezone.now() + datetime.timedelta(days=2)
    meeting = Meeting.objects.create(
        workspace=ws.workspace,
        title="April meeting",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
    )
    far = timezone.now() + datetime.timedelta(days=10)
    Meeting.objects.create(
        workspace=ws.workspace,
        title="Far",
        starts_at=far,
        ends_at=far + datetime.timedelta(hours=1),
    )
    call_command("send_progress_digests", verbosity=0)
    overdue = Notification.objects.filter(kind=Notification.Kind.OVERDUE)
    assert [(n.user, n.workspace) for n in overdue] == [(ws.dino, ws.workspace)]
    assert "Collect the HR figures" in overdue[0].subject
    assert overdue[0].dedupe_key == f"overdue:activity:{late.pk}:{late.due_on.isoformat()}"
    reminded = set(
        Notification.objects.filter(kind=Notification.Kind.MEETING).values_list("user", flat=True)
    )
    assert reminded == {ws.alice.pk, ws.bob.pk, ws.cora.pk, ws.dino.pk}
    assert all(
        "April meeting" in n.subject
        for n in Notification.objects.filter(kind=Notification.Kind.MEETING)
    )
    count, sent = Notification.objects.count(), len(mail.outbox)
    call_command("send_progress_digests", verbosity=0)
    assert Notification.objects.count() == count and len(mail.outbox) == sent
    # moved to another day: announced again
    meeting.starts_at = soon + datetime.timedelta(hours=20)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2)
    meeting.save()
    call_command("send_progress_digests", verbosity=0)
    assert Notification.objects.filter(kind=Notification.Kind.MEETING).count() == 8


def test_a_failed_mail_is_released_and_sent_by_the_next_run(ws, settings, monkeypatch):
    calls = {"n": 0}
    original = mail.EmailMessage.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("mail server down")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    # the job fails (the engine records it); the row is released, not marked sent
    notifications.notify([ws.bob], "declined", ws.workspace, "Declined", "B", "/")
    assert calls["n"] == 1
    row = Notification.objects.get(user=ws.bob)
    assert row.sent_at is None
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    call_command("send_progress_digests", verbosity=0)
    row.refresh_from_db()
    assert row.sent_at is not None and len(mails_to(ws.bob)) == 1


def test_an_urgent_notice_reaches_a_weekly_reader_at_once_and_once(ws):
    choose(ws.bob, Mode.WEEKLY)
    choose(ws.cora, Mode.NONE)
    NotificationSettings.objects.filter(user=ws.bob).update(last_digest_at=None)
    notifications.notify(
        [ws.bob, ws.cora],
        Notification.Kind.EVENT,
        None,
        "Room changed",
        "Now room 2.",
        "/x/",
        urgent=True,
    )
    (message,) = mails_to(ws.bob)
    assert message.subject.endswith("Room changed")
    assert mails_to(ws.cora) == []  # no e-mail at all was her choice
    assert Notification.objects.filter(user=ws.cora, urgent=True, sent_at__isnull=True).exists()
    assert notifications.send_digests() == 0  # nothing left for bob's digest


def test_an_urgent_notice_whose_mail_failed_is_retried_for_a_weekly_reader(ws, monkeypatch):
    choose(ws.bob, Mode.WEEKLY)
    monkeypatch.setattr(notifications.jobs, "enqueue", lambda *args, **kwargs: None)
    (row,) = notifications.notify(
        [ws.bob], Notification.Kind.EVENT, None, "Cancelled", "Sorry.", "/x/", urgent=True
    )
    # the mail server was down: the row is 11 minutes old, the weekly choice older
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(created_at=now - datetime.timedelta(minutes=11))
    NotificationSettings.objects.filter(user=ws.bob).update(
        last_digest_at=now - datetime.timedelta(hours=1)
    )
    queued = []
    monkeypatch.setattr(notifications.jobs, "enqueue", lambda name, ids: queued.append(ids))
    assert notifications.retry_unsent() == 1 and queued == [[row.pk]]
    assert notifications.send_immediate([row.pk]) == 1 and len(mails_to(ws.bob)) == 1
