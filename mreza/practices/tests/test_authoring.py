"""Drafting a practice: the one-page form (sections, results, areas, SDGs), kept input on error,
hostile text shown as text, optimistic locking (409 with the text kept), "My practices", a draft
made from a twinning's transferred practice. Also the helpers the other practice tests use."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.template.loader import render_to_string

from mreza.accounts.models import MunicipalRole, OrganisationRole
from mreza.assessment.models import Subcriterion
from mreza.core.roles import OrganisationRoleName
from mreza.practices.models import Practice, ReviewStep
from mreza.practices.sections import municipality_practices
from mreza.practices.services import PracticeError, drafting, workflow
from mreza.progress.models import TransferredPractice, Workspace, WorkspaceMember

FIGURE = {
    "label": "Waste collected separately",
    "unit": "t",
    "before": Decimal("120"),
    "after": Decimal("480"),
    "before_year": 2021,
    "after_year": 2024,
}


def values(**over):
    base = {
        "language": "sr",
        "title": "Odvojeno prikupljanje otpada",
        "summary": "Opština je uvela odvojeno prikupljanje otpada.",
        "problem": "Deponija se punila.",
        "actions": "Nabavili smo kante.\n\nObučili smo građane.",
        "results": "Četiri puta više odvojenog otpada.",
        "costs": "Budžet opštine",
        "cost_amount": Decimal("25000"),
        "cost_currency": "BAM",
        "transferability": "high",
        "prerequisites": "Komunalno preduzeće",
        "contact_name": "Ana Anić",
        "contact_email": "ana@example.org",
        "contact_phone": "",
        "sdg_codes": ",11,12,",
        "started_on": datetime.date(2021, 3, 1),
        "ended_on": None,
        "year": 2024,
        "network": None,
        "workspace": None,
    }
    return base | over


def setup_people(w):
    """erin: expert of the association; nada: coordinator of B (another municipality)."""
    w.erin = w.user("erin")
    OrganisationRole.objects.create(
        user=w.erin, organisation=w.association, role=OrganisationRoleName.EXPERT
    )
    w.nada = w.user("nada")
    MunicipalRole.objects.create(user=w.nada, municipality=w.b, role="coordinator")
    return w


def draft(w, caf=None, **over):
    areas = list(Subcriterion.objects.filter(framework=caf)[:2]) if caf else None
    return drafting.create_practice(
        w.a,
        w.bob,
        drafting.Changes(values=values(**over), figures=[dict(FIGURE)], areas=areas),
    )


def published(w, caf=None, **over):
    practice = draft(w, caf, **over)
    workflow.submit(practice, w.bob)
    workflow.review(practice, w.dana, passed=True, comment="")
    workflow.validate(
        practice,
        w.erin,
        decision="publish",
        comment="Fine",
        criteria=dict.fromkeys(workflow.CRITERION_CODES, True),
    )
    practice.refresh_from_db()
    return practice


def form_data(practice=None, **over):
    """A POST of the practice form (one figure row)."""
    data = {
        "title": "Odvojeno prikupljanje otpada",
        "summary": "Sažetak",
        "language": "sr",
        "year": "2024",
        "problem": "Problem",
        "actions": "Uradili smo",
        "results": "Rezultati",
        "transferability": "medium",
        "contact_name": "Ana",
        "cost_amount": "",
        "cost_currency": "",
        "sdgs": ["11", "12"],
        "figures-TOTAL_FORMS": "2",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "30",
        "figures-0-label": "Separated waste",
        "figures-0-unit": "t",
        "figures-0-before": "120",
        "figures-0-after": "480",
        "figures-0-before_year": "2021",
        "figures-0-after_year": "2024",
    }
    if practice is not None:
        data["version"] = str(practice.version)
        figures = list(practice.figures.all())
        data["figures-INITIAL_FORMS"] = str(len(figures))
        data["figures-TOTAL_FORMS"] = str(len(figures) + 1)
        for i, f in enumerate(figures):
            data |= {
                f"figures-{i}-id": str(f.pk),
                f"figures-{i}-label": f.label,
                f"figures-{i}-unit": f.unit,
                f"figures-{i}-before": str(f.before),
                f"figures-{i}-after": str(f.after),
            }
        if practice.status == "published":
            data["note"] = "Updated figures"
    return data | over


@pytest.fixture
def w(world, caf):
    return setup_people(world)


# ---------------------------------------------------------------- the form


def test_who_may_open_the_new_practice_form(w, client):
    url = f"/municipalities/{w.a.code}/practices/new/"
    assert client.get(url).status_code == 302  # to sign in
    for user, status in ((w.alice, 200), (w.bob, 200), (w.charlie, 403), (w.admin, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_a_draft_is_saved_with_its_results_areas_and_goals(w, client, caf):
    client.force_login(w.bob)
    sub = Subcriterion.objects.filter(framework=caf).first()
    data = form_data(areas=[str(sub.pk)], actions='<p>Done <a href="javascript:x()">x</a></p>')
    response = client.post(f"/municipalities/{w.a.code}/practices/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.DRAFT
    assert practice.created_by == w.bob and practice.municipality == w.a
    assert list(practice.areas.all()) == [sub]
    assert practice.sdgs == [11, 12]
    assert (
        "javascript" not in practice.actions
        and 'rel="noopener noreferrer nofollow"' in practice.actions
    )
    figure = practice.figures.get()
    assert (figure.before, figure.after, figure.after_year) == (120, 480, 2024)


def test_the_form_keeps_the_input_and_saves_nothing_on_error(w, client):
    client.force_login(w.bob)
    data = form_data(
        summary="My careful summary",
        cost_amount="-5",
        cost_currency="bam",
        **{"figures-0-before_year": "1800"},
    )
    response = client.post(f"/municipalities/{w.a.code}/practices/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "My careful summary" in page
    assert "ISO code" in page
    assert not Practice.objects.exists()


def test_script_in_text_fields_is_shown_as_text(w, client):
    practice = draft(w, title="<script>alert(1)</script>Title")
    client.force_login(w.bob)
    page = client.get(f"/practices/{practice.pk}/edit/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_concurrent_edit_is_refused_with_409_and_the_text_kept(w, client):
    practice = draft(w)
    stale = form_data(practice, summary="Mine, typed carefully")
    drafting.save_practice(
        practice, w.alice, drafting.Changes(values={"summary": "Alice was first"}), practice.version
    )
    client.force_login(w.bob)
    response = client.post(f"/practices/{practice.pk}/edit/", stale)
    assert response.status_code == 409
    assert "Mine, typed carefully" in response.content.decode()
    practice.refresh_from_db()
    assert practice.summary == "Alice was first"


def test_an_edit_replaces_removes_and_adds_result_rows(w, client):
    practice = draft(w)
    client.force_login(w.bob)
    data = form_data(practice)
    data |= {
        "figures-0-DELETE": "on",
        "figures-1-label": "Citizens served",
        "figures-1-before": "1",
        "figures-1-after": "2",
    }
    response = client.post(f"/practices/{practice.pk}/edit/", data)
    assert response.status_code == 302
    assert list(practice.figures.values_list("label", flat=True)) == ["Citizens served"]


# ---------------------------------------------------------------- submission


def test_a_practice_without_results_cannot_be_submitted(w, client):
    practice = drafting.create_practice(
        w.a, w.bob, drafting.Changes(values={"title": "Only a title", "language": "bs"})
    )
    with pytest.raises(PracticeError) as refusal:
        workflow.submit(practice, w.bob)
    text = str(refusal.value)
    assert "a summary" in text and "at least one result in numbers" in text
    client.force_login(w.bob)
    response = client.post(f"/practices/{practice.pk}/submit/", follow=True)
    assert "at least one result in numbers" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert not ReviewStep.objects.exists()


def test_submission_tells_the_network_coordinator(w, client):
    practice = draft(w)
    client.force_login(w.bob)
    response = client.post(f"/practices/{practice.pk}/submit/")
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [[w.dana.email]]


# ---------------------------------------------------------------- lists


def test_my_practices_lists_the_municipalitys_practices_in_constant_queries(
    w, client, django_assert_max_num_queries
):
    for n in range(3):
        draft(w, title=f"Practice {n}")
    client.force_login(w.charlie)
    assert "Practice 0" not in client.get("/practices/mine/").content.decode()
    client.force_login(w.bob)
    with django_assert_max_num_queries(12):
        page = client.get("/practices/mine/").content.decode()
    assert all(f"Practice {n}" in page for n in range(3))
    for n in range(3, 8):
        draft(w, title=f"Practice {n}")
    with django_assert_max_num_queries(12):
        page = client.get("/practices/mine/").content.decode()
    assert "Practice 7" in page


def test_a_twinnings_transferred_practice_becomes_a_prefilled_draft(w, client):
    twinning = Workspace.objects.create(kind="twinning", title="A and B")
    source = WorkspaceMember.objects.create(workspace=twinning, municipality=w.b, role="partner")
    adopter = WorkspaceMember.objects.create(workspace=twinning, municipality=w.a, role="partner")
    transferred = TransferredPractice.objects.create(
        workspace=twinning,
        title="E-sessions of the council",
        description="We took over e-sessions.",
        source=source,
        adopter=adopter,
        adopted_on=datetime.date(2025, 5, 1),
        result="Paper saved",
    )
    client.force_login(w.alice)
    url = f"/practices/from-transfer/{transferred.pk}/"
    page = client.get(url).content.decode()
    assert "E-sessions of the council" in page and "Paper saved" in page
    response = client.post(url, form_data(title="E-sessions of the council"))
    assert response.status_code == 302
    assert Practice.objects.get().transferred_practice == transferred
    client.force_login(w.charlie)  # sees the twinning (B is in it), cannot write for A
    assert client.get(url).status_code == 403
    client.force_login(w.erin)
    assert client.get(url).status_code == 404


def test_the_municipality_card_shows_what_the_reader_may_see(w, rf):
    draft(w, title="A draft of A")
    request = rf.get("/")
    for user, sees, may_start in ((w.bob, True, True), (w.charlie, False, False)):
        request.user = user
        context = municipality_practices(request, w.a) | {"municipality": w.a}
        html = render_to_string("practices/_municipality_card.html", context, request=request)
        assert ("A draft of A" in html) is sees, user
        assert ("/practices/new/" in html) is may_start, user
