"""The practices' mails go through the notifications of progress: a row on each recipient's
notifications page, the e-mail at once, in the weekly digest or not at all as each chose, with the
unsubscribe link; the one who took the step is not told."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mreza.networks.services import confirm
from mreza.practices.models import TransferRequest
from mreza.practices.services import transfer, workflow
from mreza.practices.tests.test_authoring import draft, published, setup_people
from mreza.progress.models import Notification, NotificationSettings
from mreza.progress.services import notifications

ALL_MET = dict.fromkeys(workflow.CRITERION_CODES, True)


@pytest.fixture
def w(world, caf):
    return setup_people(world)


def test_each_step_is_a_notification_with_its_link(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    row = Notification.objects.get()
    assert (row.user, row.kind, row.workspace) == (w.dana, Notification.Kind.ASSIGNED, None)
    assert row.url == f"/practices/{practice.pk}/" and practice.title in row.subject
    assert row.sent_at is not None  # dana hears at once (the default)
    message = mail.outbox[-1]
    assert message.to == [w.dana.email]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert f"/practices/{practice.pk}/" in message.body
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(practice, w.erin, decision="reject", comment="Not new", criteria={})
    refused = Notification.objects.filter(kind=Notification.Kind.DECLINED)
    assert {r.user for r in refused} == {w.alice, w.bob}
    assert "Not new" in refused.first().body
    # whoever took a step is not told about it
    assert not Notification.objects.filter(user=w.erin, kind=Notification.Kind.DECLINED).exists()
    assert not Notification.objects.filter(user=w.bob, kind=Notification.Kind.ASSIGNED).exists()


def test_a_reviewer_who_chose_the_weekly_digest_gets_it_there(w, caf):
    notifications.set_mode(w.dana, NotificationSettings.Mode.WEEKLY)
    practice = draft(w, caf)
    mail.outbox.clear()
    workflow.submit(practice, w.bob)
    assert mail.outbox == []
    row = Notification.objects.get(user=w.dana)
    assert row.sent_at is None
    assert notifications.send_digests(timezone.now() + datetime.timedelta(days=8)) == 1
    assert mail.outbox[0].to == [w.dana.email] and row.subject in mail.outbox[0].body


def test_an_author_who_chose_no_email_is_not_mailed(w, caf):
    notifications.set_mode(w.alice, NotificationSettings.Mode.NONE)
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    mail.outbox.clear()
    workflow.review(practice, w.dana, passed=False, comment="More numbers")
    assert [m.to for m in mail.outbox] == [[w.bob.email]]
    assert Notification.objects.filter(user=w.alice, subject__contains=practice.title).exists()


def test_a_confirmed_transfer_tells_both_municipalities_once(w, caf):
    practice = published(w, caf)
    transfer.save_offer(practice, w.alice, description="Study visits", is_open=True)
    request = transfer.request_transfer(practice, w.nada, w.b, "We want it")
    asked = Notification.objects.filter(subject__contains="asks")
    assert {r.user for r in asked} == {w.dana, w.alice}  # the coordinator and A's management
    assert asked.get(user=w.dana).url.endswith("#answers")
    mail.outbox.clear()
    confirm(request.partnership, w.dana)  # the step-2 page's service; post_save hook
    request.refresh_from_db()
    assert request.status == TransferRequest.Status.CONFIRMED
    told = Notification.objects.filter(dedupe_key=f"practices:transfer-confirmed:{request.pk}")
    assert {r.user for r in told} == {w.nada, w.alice}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.nada.email, w.alice.email])
    # the pages' catch-up finds nothing left to tell
    TransferRequest.objects.filter(pk=request.pk).update(status=TransferRequest.Status.PENDING)
    transfer.sync_requests(practice)
    assert told.count() == 2
