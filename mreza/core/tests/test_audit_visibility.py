"""The audit trail shows an entry only to someone who may see the record it describes, in its
current state, through the access policy; and it shows entries as people read them."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.accounts.models import Invitation, MunicipalRole
from mreza.core.access import Perm, audit_entries_visible_to, audit_kinds, may
from mreza.core.audit import AuditedModel, acting_as
from mreza.core.models import AuditEntry

PERSONAS = ("alice", "bob", "charlie", "dana", "admin")


def audited_models():
    return [m for m in apps.get_models() if issubclass(m, AuditedModel)]


def visible(user, **lookup):
    return audit_entries_visible_to(user, AuditEntry.objects.filter(**lookup)).exists()


def test_every_audited_model_has_exactly_one_audit_visibility_rule():
    scope, restricted, unscoped, contained = audit_kinds()
    for model in audited_models():
        groups = [model in scope, model in restricted, model in unscoped, model in contained]
        assert groups.count(True) == 1, (
            f"{model.__name__} needs one rule in core.access.audit_kinds"
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_audited_model_per_persona(world, persona):
    """Records of A's kinds: A's coordinator and administrators; records of no municipality:
    administrators. (Records whose visibility depends on their state are tested with real data
    below.)"""
    scope, restricted, _unscoped, contained = audit_kinds()
    user = getattr(world, persona)
    for model in audited_models():
        if model in restricted or model in contained:
            continue
        municipality_id = world.a.pk if model in scope else None
        entry = AuditEntry.objects.create(
            action="update",
            content_type=ContentType.objects.get_for_model(model),
            object_id="0",
            object_repr="x",
            municipality_id=municipality_id,
            changes={},
        )
        expected = persona == "admin" or (persona == "alice" and model in scope)
        assert visible(user, pk=entry.pk) is expected, (persona, model.__name__)
        assert may(user, Perm.VIEW, entry) is expected, (persona, model.__name__)


def _entry_entries(assessment, assessor):
    from mreza.assessment.models import Entry

    ids = [
        str(pk)
        for pk in Entry.objects.filter(assessment=assessment, assessor=assessor).values_list(
            "pk", flat=True
        )
    ]
    return {"content_type__model": "entry", "object_id__in": ids}


@pytest.fixture
def scored(world, caf):
    """An assessment of A: alice administrator (and A's coordinator), bob assessor with a draft
    score."""
    from mreza.accounts.models import User
    from mreza.assessment import services
    from mreza.assessment.models import Subcriterion

    world.mara = User.objects.create_user("mara@example.org", "test-password-123", full_name="Mara")
    MunicipalRole.objects.create(user=world.mara, municipality=world.a, role="management")
    a = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        user=world.alice,
    )
    services.add_member(a, world.bob, "assessor")
    world.sub = Subcriterion.objects.filter(framework=caf).order_by("position").first()
    with acting_as(world.bob):
        world.entry = services.save_entry(
            a, world.bob, world.sub, {"score": 30, "strengths": "bob's private draft"}
        )
    return a


def test_an_unsubmitted_score_is_hidden_from_everyone_but_the_assessor(world, scored, client):
    lookup = _entry_entries(scored, world.bob)
    for persona in ("alice", "charlie", "dana", "admin", "mara"):
        assert not visible(getattr(world, persona), **lookup), persona
    client.force_login(world.alice)
    for url in (f"/municipalities/{world.a.code}/history/", "/dashboard/"):
        page = client.get(url).content.decode()
        assert "private draft" not in page, url
    client.force_login(world.admin)
    assert "private draft" not in client.get("/audit/").content.decode()
    hidden = AuditEntry.objects.get(action="create", **lookup)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert (
        client.get(f"/admin/core/auditentry/{hidden.pk}/change/").status_code == 302
    )  # not found: redirect
    shown = AuditEntry.objects.filter(content_type__model="assessment").first()
    assert client.get(f"/admin/core/auditentry/{shown.pk}/change/").status_code == 200


def test_a_submitted_score_is_shown_to_who_may_manage_the_assessment(world, scored, client):
    from mreza.assessment import services
    from mreza.assessment.models import Subcriterion

    with acting_as(world.bob):
        for sub in Subcriterion.objects.filter(framework=scored.framework):
            services.save_entry(scored, world.bob, sub, {"score": 30})
        services.submit(scored, world.bob)
    lookup = _entry_entries(scored, world.bob)
    assert visible(world.alice, **lookup) and visible(world.admin, **lookup)
    for persona in (
        "bob",
        "charlie",
        "dana",
        "mara",
    ):  # bob is no coordinator: the history is not his
        assert not visible(getattr(world, persona), **lookup), persona
    client.force_login(world.alice)
    assert (
        "private draft" in client.get(f"/municipalities/{world.a.code}/history/").content.decode()
    )


def test_the_coordinator_sees_own_draft_scores_but_not_others(world, scored):
    from mreza.assessment import services

    with acting_as(world.alice):
        services.save_entry(scored, world.alice, world.sub, {"score": 70})
    assert visible(world.alice, **_entry_entries(scored, world.alice))
    assert not visible(world.admin, **_entry_entries(scored, world.alice))


def test_evidence_entries_follow_their_score(world, scored, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mreza.assessment import evidence
    from mreza.assessment.models import EvidenceFile

    settings.MEDIA_ROOT = tmp_path
    with evidence.removed_on_failure() as stored:
        file = evidence.attach(world.entry, SimpleUploadedFile("n.txt", b"twelve bytes"), stored)
    lookup = {"content_type__model": "evidencefile", "object_id": str(file.pk)}
    assert not visible(world.alice, **lookup) and not visible(world.admin, **lookup)
    assert not may(world.alice, Perm.VIEW, EvidenceFile.objects.get())
    world.bob.assessment_memberships.filter(assessment=scored).update(
        submitted_at=datetime.datetime.now(datetime.UTC)
    )
    assert visible(world.alice, **lookup) and may(
        world.alice, Perm.VIEW, EvidenceFile.objects.get()
    )


def test_entries_of_deleted_scores_are_for_administrators_only(world, scored):
    from mreza.assessment.models import Entry

    pk = world.entry.pk
    Entry.objects.filter(pk=pk).first().delete()
    lookup = {"content_type__model": "entry", "object_id": str(pk)}
    assert AuditEntry.objects.filter(action="delete", **lookup).exists()
    assert visible(world.admin, **lookup)
    assert not visible(world.alice, **lookup)


def test_deleted_records_of_other_kinds_stay_visible_to_the_coordinator(world):
    with acting_as(world.alice):
        role = MunicipalRole.objects.create(user=world.charlie, municipality=world.a, role="staff")
        pk = role.pk
        role.delete()
    assert visible(
        world.alice, content_type__model="municipalrole", object_id=str(pk), action="delete"
    )


def test_invitation_tokens_never_reach_the_trail_or_the_pages(world, client):
    with acting_as(world.alice):
        invitation = Invitation.objects.create(
            email="new@example.org",
            municipality=world.a,
            role="coordinator",
            invited_by=world.alice,
        )
    entry = AuditEntry.objects.get(content_type__model="invitation", object_id=str(invitation.pk))
    assert "token" not in entry.changes
    assert invitation.token not in str(AuditEntry.objects.values_list("changes", flat=True))
    client.force_login(world.alice)
    for url in (f"/municipalities/{world.a.code}/history/", "/dashboard/"):
        page = client.get(url).content.decode()
        assert invitation.token not in page and "new@example.org" in page
    from mreza.core.audit_display import present

    rows = {label: new for label, _old, new in present([entry])[0].rows}
    assert (
        rows["Role"] == "municipal coordinator"
    )  # the label, though Invitation.role declares no choices
    assert rows["Invited by"] == "Alice"


def test_the_history_costs_the_same_queries_however_many_entries(world, scored, client):
    from mreza.assessment import services

    client.force_login(world.alice)
    url = f"/municipalities/{world.a.code}/history/"
    client.get(url)  # warm the content type cache

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(15):
        with acting_as(world.alice):
            MunicipalRole.objects.create(
                user=world.dana,
                municipality=world.a,
                role=["staff", "ort_member", "training_contact"][i % 3],
            ).delete()
        with acting_as(world.bob):
            services.save_entry(
                scored, world.bob, world.sub, {"score": 30 + i, "strengths": f"draft {i}"}
            )
    assert count() == few


def test_entries_are_shown_as_people_read_them(world, scored, client):
    from mreza.assessment import services

    with acting_as(world.alice):
        services.add_member(scored, world.mara, "leader")
        scored.status = "consensus"
        scored.save(update_fields=["status"])
    client.force_login(world.alice)
    page = client.get(f"/municipalities/{world.a.code}/history/").content.decode()
    assert "Mara" in page  # the person's name, not the id
    assert "group leader" in page  # the role's label, not "leader"
    assert "individual scoring" in page and "consensus" in page  # status labels
    assert "Role in the group" in page and "Period from" in page  # field names, not attnames
    assert "assessment_id" not in page and "user_id" not in page


def test_present_formats_values(world, scored):
    from mreza.assessment.models import Entry
    from mreza.core.audit_display import present

    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(Entry),
        action="update",
        changes={
            "dont_know": [False, True],
            "assessor_id": [None, world.bob.pk],
            "strengths": ["", "x" * 1000],
            "updated_at": [None, "2025-03-04 10:00:00+00:00"],
        },
    )
    (shown,) = present([entry])
    rows = {label: (old, new) for label, old, new in shown.rows}
    assert rows["Don't know"] == ("no", "yes")
    assert rows["Assessor"] == ("—", "Bob")
    assert len(rows["Strengths"][1]) <= 300
    assert "2025" in rows["Last changed"][1] and "+00:00" not in rows["Last changed"][1]


@pytest.mark.parametrize("submitted", [False, True])
def test_the_queryset_rule_for_scores_equals_the_policy(world, scored, submitted):
    """entries_visible_to (used for lists) and may()/entry_visible (used for one record) agree."""
    from mreza.assessment import services
    from mreza.assessment.models import Entry
    from mreza.core.access import entries_visible_to

    with acting_as(world.alice):
        services.save_entry(scored, world.alice, world.sub, {"score": 70})
    if submitted:
        scored.members.filter(user=world.bob).update(
            submitted_at=datetime.datetime.now(datetime.UTC)
        )
    for persona in (*PERSONAS, "mara"):
        user = getattr(world, persona)
        for entry in Entry.objects.select_related("assessment"):
            listed = entries_visible_to(user, Entry.objects.all()).filter(pk=entry.pk).exists()
            assert listed is may(user, Perm.VIEW, entry), (persona, entry.assessor, submitted)


@pytest.fixture
def conference(world):
    """A published event of the association (dana coordinates its networks) hosted by B, with a
    session, a speaker and bob's registration with its certificate, each change by dana."""
    from mreza.events.models import AttendanceCertificate
    from mreza.events.services import events as event_services
    from mreza.events.services import registrations

    starts = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
    with acting_as(world.dana):
        event = event_services.create_event(
            {
                "kind": "workshop",
                "title": "Radionica",
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=4),
                "organiser": world.association,
                "host": world.b,
                "capacity": 10,
            },
            world.dana,
        )
        event = event_services.publish(event)
        session = event_services.add_session(
            event, {"starts_at": starts, "ends_at": starts, "title": "Otvaranje"}
        )
        event_services.add_speaker(session, {"name": "Dana"})
    with acting_as(world.bob):
        registration = registrations.register(event, world.bob)
    with acting_as(world.dana):
        AttendanceCertificate.objects.create(registration=registration, code="T-1", signature="x")
    return event


def _of(model):
    return {"content_type__model": model}


def test_an_events_trail_is_its_organisers(world, conference):
    from django.contrib.auth.models import AnonymousUser

    programme = ("event", "session", "speaker")
    personal = ("registration", "attendancecertificate")
    for model in (*programme, *personal):
        assert AuditEntry.objects.filter(**_of(model)).exists(), model
        # the organiser (dana: network coordinator of the organiser) and administrators
        assert visible(world.dana, **_of(model)) and visible(world.admin, **_of(model)), model
        # a municipal user of another municipality, and A's coordinator: not theirs
        assert not visible(world.charlie, **_of(model)), model
        assert not visible(world.alice, **_of(model)), model
        assert not visible(AnonymousUser(), **_of(model)), model
    for model in programme:  # the public event page is not its history
        assert not visible(world.bob, **_of(model)), model
    for model in personal:  # the person registered sees their registration's trail
        assert visible(world.bob, **_of(model)), model
    entry = AuditEntry.objects.filter(**_of("event")).first()
    assert may(world.dana, Perm.VIEW, entry) and not may(world.charlie, Perm.VIEW, entry)


def test_the_host_coordinator_sees_the_events_trail(world, conference):
    from mreza.accounts.models import User

    coordinator = User.objects.create_user("b@example.org", "test-password-123", full_name="B")
    MunicipalRole.objects.create(user=coordinator, municipality=world.b, role="coordinator")
    assert visible(coordinator, **_of("event")) and visible(coordinator, **_of("registration"))


def test_entries_of_a_deleted_event_are_for_administrators_only(world, conference):
    pk = conference.pk
    with acting_as(world.dana):
        conference.sessions.all().delete()
    lookup = {"content_type__model": "session", "action": "delete"}
    assert visible(world.admin, **lookup)
    assert not visible(world.dana, **lookup)
    assert visible(world.dana, content_type__model="event", object_id=str(pk))
