"""A practice that was not accepted is not the end: its author's people see why, revise it (back to
a draft) and submit it again for a new review round; the rejection and its comment stay among its
steps and are shown on the panel while it is on its way again. A withdrawn practice stays
withdrawn."""

import pytest
from django.core import mail
from django.test import RequestFactory

from mreza.core.access import Perm, may
from mreza.practices.models import Practice
from mreza.practices.services import PracticeError, drafting, workflow
from mreza.practices.tests.test_authoring import draft, form_data, published, setup_people
from mreza.practices.views.panel import workflow_panel

ALL_MET = dict.fromkeys(workflow.CRITERION_CODES, True)
Status = Practice.Status


@pytest.fixture
def w(world, caf):
    return setup_people(world)


def rejected(w, caf, comment="Not new: the neighbours did it first"):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(practice, w.erin, decision="reject", comment=comment, criteria={})
    return practice


def _panel(user, practice):
    request = RequestFactory().get("/")
    request.user = user
    return workflow_panel(request, practice)["workflow"]


def test_a_rejected_practice_is_revised_and_takes_the_whole_way_again(w, caf):
    practice = rejected(w, caf)
    workflow.revise(practice, w.bob)
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    changes = drafting.Changes(values={"summary": "Now with what makes it new"})
    drafting.save_practice(practice, w.bob, changes, practice.version)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(practice, w.erin, decision="publish", comment="", criteria=ALL_MET)
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED and practice.revision == 1
    steps = list(practice.review_steps.values_list("action", "comment"))
    assert [a for a, _c in steps] == [
        "submitted",
        "reviewed",
        "rejected",
        "submitted",
        "reviewed",
        "validated",
    ]
    assert steps[2][1] == "Not new: the neighbours did it first"


def test_only_a_rejected_practice_is_revised_and_only_by_its_people(w, caf):
    with pytest.raises(PracticeError):
        workflow.revise(draft(w, caf), w.bob)
    practice = rejected(w, caf)
    for outsider in (w.dana, w.erin, w.charlie, w.nada):
        assert not may(outsider, Perm.EDIT_PRACTICE, practice)
    assert may(w.alice, Perm.EDIT_PRACTICE, practice)
    workflow.revise(practice, w.bob)
    stale = Practice.objects.get(pk=practice.pk)
    stale.status = Status.REJECTED  # a second tab opened before the revision
    with pytest.raises(PracticeError):
        workflow.revise(stale, w.alice)


def test_a_rejected_practice_is_not_edited_as_it_is(w, caf, client):
    practice = rejected(w, caf)
    client.force_login(w.bob)
    response = client.get(f"/practices/{practice.pk}/edit/")
    assert response.status_code == 302 and response["Location"].endswith(f"/{practice.pk}/")
    response = client.post(f"/practices/{practice.pk}/edit/", form_data(practice, summary="x"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == Status.REJECTED and practice.summary != "x"


def test_the_revise_button_and_page(w, caf, client):
    practice = rejected(w, caf)
    mail.outbox.clear()
    client.force_login(w.dana)
    assert client.post(f"/practices/{practice.pk}/revise/").status_code == 403
    client.force_login(w.bob)
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert f'action="/practices/{practice.pk}/revise/"' in page
    assert "Why it was not accepted:" in page and "the neighbours did it first" in page
    response = client.post(f"/practices/{practice.pk}/revise/")
    assert response.status_code == 302 and response["Location"] == f"/practices/{practice.pk}/edit/"
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    assert mail.outbox == []  # nobody waits for a draft
    page = client.get(f"/practices/{practice.pk}/edit/").content.decode()
    assert "Not accepted in an earlier round" in page and "the neighbours did it first" in page
    assert f'action="/practices/{practice.pk}/submit/"' in page


def test_the_panel_shows_the_last_rejection_until_it_is_published(w, caf):
    practice = rejected(w, caf, comment="First rejection")
    panel = _panel(w.bob, practice)
    assert panel["rejection"]["current"] and panel["rejection"]["step"].comment == "First rejection"
    assert [b["url"] for b in panel["buttons"]] == [f"/practices/{practice.pk}/revise/"]
    # the reviewer sees why, but has no button
    assert _panel(w.dana, practice)["rejection"] is not None
    assert _panel(w.dana, practice)["buttons"] == []
    workflow.revise(practice, w.bob)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(practice, w.erin, decision="reject", comment="Second rejection", criteria={})
    workflow.revise(practice, w.bob)
    panel = _panel(w.bob, practice)
    assert not panel["rejection"]["current"]
    assert panel["rejection"]["step"].comment == "Second rejection"
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(practice, w.erin, decision="publish", comment="", criteria=ALL_MET)
    assert _panel(w.bob, practice)["rejection"] is None


def test_the_rejection_mail_says_it_can_be_revised(w, caf):
    practice = draft(w, caf)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    mail.outbox.clear()
    workflow.validate(practice, w.erin, decision="reject", comment="Not new", criteria={})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.alice.email, w.bob.email])
    assert "revise it and submit it again" in mail.outbox[0].body
    assert "Not new" in mail.outbox[0].body


def test_a_withdrawn_practice_stays_withdrawn(w, caf):
    """What exists: withdrawal is final (no Perm lets anyone edit, revise or re-publish it)."""
    practice = published(w, caf)
    workflow.withdraw(practice, w.alice, "The service was closed")
    practice.refresh_from_db()
    assert not may(w.alice, Perm.EDIT_PRACTICE, practice)
    with pytest.raises(PracticeError):
        workflow.revise(practice, w.alice)
