"""The way to publication end to end: submit → review (return / pass) → validate against the
criteria (publish / return / reject) → update as a new revision → withdraw; each step a ReviewStep
the author sees and a mail to the people concerned; the review queue."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from mreza.core.access import Perm, may, published_practices
from mreza.core.templatetags.mreza import script
from mreza.practices.models import Practice, PracticeRevision, ReviewStep
from mreza.practices.services import PracticeError, drafting, transfer, workflow
from mreza.practices.tests.test_authoring import draft, form_data, published, setup_people
from mreza.practices.views.panel import workflow_panel

ALL_MET = dict.fromkeys(workflow.CRITERION_CODES, True)


@pytest.fixture
def w(world, caf):
    return setup_people(world)


def test_the_whole_way_in_services(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    with pytest.raises(PracticeError):
        workflow.review(practice, w.dana, passed=False, comment="  ")  # a return says why
    workflow.review(practice, w.dana, passed=False, comment="Add the costs per household")
    assert practice.status == Practice.Status.RETURNED
    assert may(w.bob, Perm.EDIT_PRACTICE, practice)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    assert practice.status == Practice.Status.REVIEWED
    with pytest.raises(PracticeError):
        workflow.validate(
            practice, w.erin, decision="publish", comment="", criteria={"contact": True}
        )
    workflow.validate(practice, w.erin, decision="publish", comment="", criteria=ALL_MET)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED and practice.revision == 1
    assert practice.published_at is not None and practice.validated_by == w.erin
    assert practice in published_practices(Practice.objects.all())
    assert list(practice.review_steps.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "reviewed",
        "validated",
    ]
    revision = practice.revisions.get()
    assert revision.number == 1 and revision.content["figures"][0]["after"] == "480.0000"
    assert practice.review_steps.get(action="validated").criteria == ALL_MET


def test_each_step_mails_the_people_concerned(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    assert [m.to for m in mail.outbox] == [[w.dana.email]]
    mail.outbox.clear()
    workflow.review(practice, w.dana, passed=False, comment="More numbers")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.alice.email, w.bob.email])
    assert "More numbers" in mail.outbox[0].body
    workflow.submit(practice, w.bob)
    mail.outbox.clear()
    workflow.review(practice, w.dana, passed=True, comment="")
    assert [m.to for m in mail.outbox] == [[w.erin.email]]
    mail.outbox.clear()
    workflow.validate(practice, w.erin, decision="publish", comment="", criteria=ALL_MET)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [w.alice.email, w.bob.email, w.dana.email]
    )


def test_mail_is_written_in_the_recipients_language(w, caf):
    """The subject in dana's language (Serbian, Cyrillic), the practice's Latin title in her
    script too."""
    w.dana.language = "sr"
    w.dana.save(update_fields=["language"])
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    with translation.override("sr"):
        expected = gettext("A good practice waits for your review: %(title)s") % {
            "title": script(practice.title)
        }
    assert [m.subject for m in mail.outbox] == [expected]
    assert "Одвојено" in expected and "waits" not in expected


def test_rejection_and_return_by_the_expert_need_a_comment(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    with pytest.raises(PracticeError):
        workflow.validate(practice, w.erin, decision="reject", comment="", criteria={})
    workflow.validate(practice, w.erin, decision="reject", comment="Not new", criteria={})
    assert practice.status == Practice.Status.REJECTED
    # the author's people may revise it (test_revision.py), not edit it as it is
    assert may(w.bob, Perm.EDIT_PRACTICE, practice)
    with pytest.raises(PracticeError):
        drafting.save_practice(practice, w.bob, drafting.Changes(values={}), practice.version)
    assert not PracticeRevision.objects.exists()


def test_a_step_on_a_stale_page_is_refused(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    old = Practice.objects.get(pk=practice.pk)
    workflow.review(practice, w.dana, passed=True, comment="")
    with pytest.raises(PracticeError):
        workflow.review(old, w.dana, passed=False, comment="late")
    assert Practice.objects.get(pk=practice.pk).status == Practice.Status.REVIEWED


def test_an_update_of_a_published_practice_is_a_new_revision(w, caf, client):
    practice = published(w, caf)
    mail.outbox.clear()
    client.force_login(w.bob)
    data = form_data(practice, summary="Now also in schools")
    data.pop("note")
    response = client.post(f"/practices/{practice.pk}/edit/", data)
    assert response.status_code == 400  # "what changed" is needed
    data["note"] = "Schools joined"
    response = client.post(f"/practices/{practice.pk}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED and practice.revision == 2
    assert practice.revisions.get(number=2).note == "Schools joined"
    assert practice.revisions.get(number=1).content["summary"] != "Now also in schools"
    assert [m.to for m in mail.outbox] == [[w.dana.email]]
    page = client.get(f"/practices/{practice.pk}/history/").content.decode()
    assert "Schools joined" in page and "Revision 1" in page


def test_an_update_cannot_remove_every_result(w, caf):
    practice = published(w, caf)
    figure = practice.figures.get()
    changes = drafting.Changes(values={}, figures=[{"id": figure.pk, "delete": True}])
    with pytest.raises(PracticeError):
        drafting.save_practice(practice, w.bob, changes, practice.version, note="Removed")
    assert Practice.objects.get(pk=practice.pk).figures.count() == 1


def test_withdrawal_takes_it_out_of_the_library_and_closes_the_offer(w, caf, client):
    practice = published(w, caf)
    offer = transfer.save_offer(practice, w.alice, description="Study visits", is_open=True)
    client.force_login(w.bob)
    assert client.get(f"/practices/{practice.pk}/withdraw/").status_code == 403
    client.force_login(w.alice)
    response = client.post(f"/practices/{practice.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/practices/{practice.pk}/withdraw/", {"reason": "Outdated law"})
    assert response.status_code == 302
    practice.refresh_from_db()
    offer.refresh_from_db()
    assert practice.status == Practice.Status.WITHDRAWN and not offer.is_open
    assert practice.withdrawal_reason == "Outdated law"
    assert not published_practices(Practice.objects.all()).exists()
    assert ReviewStep.objects.filter(action="withdrawn", comment="Outdated law").exists()
    client.logout()
    assert client.get(f"/practices/{practice.pk}/").status_code in (404, 410)


def test_review_and_validation_pages(w, caf, client):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    client.force_login(w.erin)
    assert client.get(f"/practices/{practice.pk}/review/").status_code == 403
    client.force_login(w.dana)
    url = f"/practices/{practice.pk}/review/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    response = client.post(url, {"decision": "pass", "comment": "Good"})
    assert response.status_code == 302
    client.force_login(w.erin)
    url = f"/practices/{practice.pk}/validate/"
    page = client.get(url).content.decode()
    assert "No personal data of citizens" in page
    data = {"decision": "publish", "comment": ""} | {
        f"criterion_{c}": "on" for c in workflow.CRITERION_CODES[:-1]
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "meets every criterion" in response.content.decode()
    data[f"criterion_{workflow.CRITERION_CODES[-1]}"] = "on"
    assert client.post(url, data).status_code == 302
    assert Practice.objects.get(pk=practice.pk).status == Practice.Status.PUBLISHED


def test_the_queue_shows_what_waits_for_each_reviewer(
    w, caf, client, django_assert_max_num_queries
):
    first = draft(w, caf, title="To review")
    workflow.submit(first, w.bob)
    second = draft(w, caf, title="To validate")
    workflow.submit(second, w.bob)
    workflow.review(second, w.dana, passed=True, comment="")
    draft(w, caf, title="Still a draft")
    client.force_login(w.dana)
    with django_assert_max_num_queries(12):
        page = client.get("/practices/review/").content.decode()
    assert "To review" in page and "To validate" not in page and "Still a draft" not in page
    assert "1 submitted practice waits" in page
    client.force_login(w.erin)
    page = client.get("/practices/review/").content.decode()
    assert "To validate" in page and "To review" not in page
    for n in range(4):
        workflow.submit(draft(w, caf, title=f"More {n}"), w.bob)
    client.force_login(w.dana)
    with django_assert_max_num_queries(12):
        page = client.get("/practices/review/").content.decode()
    assert "5 submitted practices wait" in page
    client.force_login(w.charlie)
    assert "To review" not in client.get("/practices/review/").content.decode()


def test_the_panel_offers_each_reader_their_own_buttons(w, caf, rf):
    practice = draft(w, caf)

    def labels(user):
        request = rf.get("/")
        request.user = user
        return [str(b["label"]) for b in workflow_panel(request, practice)["workflow"]["buttons"]]

    assert labels(w.bob) == ["Edit", "Submit for review"]
    assert labels(w.dana) == []
    workflow.submit(practice, w.bob)
    assert labels(w.bob) == []
    assert labels(w.dana) == ["Review"]
    workflow.review(practice, w.dana, passed=True, comment="")
    assert labels(w.erin) == ["Validate"]
    workflow.validate(practice, w.erin, decision="publish", comment="", criteria=ALL_MET)
    assert labels(w.alice) == ["Edit", "Offer help to adopt it", "Record an adoption", "Withdraw"]
    transfer.save_offer(practice, w.alice, description="Visits", is_open=True)
    practice = Practice.objects.get(pk=practice.pk)
    assert labels(w.nada) == ["Ask for help to adopt it"]
    request = rf.get("/")
    request.user = AnonymousUser()
    panel = workflow_panel(request, practice)["workflow"]
    assert panel["buttons"] == [] and panel["steps"] == []


def test_the_criteria_page_is_public(client):
    page = client.get("/practices/criteria/").content.decode()
    assert "Results are evidenced with numbers" in page
