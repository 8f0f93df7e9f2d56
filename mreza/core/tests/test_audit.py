from mreza.core.audit import acting_as
from mreza.core.models import AuditEntry


def test_it_records_who_when_and_old_and_new_values(world):
    with acting_as(world.alice):
        world.a.website = "https://banjaluka.rs.ba"
        world.a.save(update_fields=["website"])
    entry = AuditEntry.objects.filter(object_id=str(world.a.pk), action="update").latest("id")
    assert entry.actor == world.alice
    assert entry.changes == {"website": ["", "https://banjaluka.rs.ba"]}
    assert entry.municipality_id == world.a.pk
    assert entry.at is not None


def test_it_records_creation_and_deletion_with_system_label(world):
    with acting_as(None, "import_registry"):
        m = world.municipality("T-C", "Nova")
        m.delete()
    actions = list(
        AuditEntry.objects.filter(object_repr="Nova").values_list("action", "actor_label")
    )
    assert ("create", "import_registry") in actions and ("delete", "import_registry") in actions


def test_it_skips_saves_that_change_nothing(world):
    before = AuditEntry.objects.count()
    world.a.save()
    assert AuditEntry.objects.count() == before


def test_admin_sees_the_audit_log_and_others_do_not(world, client):
    client.force_login(world.admin)
    assert client.get("/audit/").status_code == 200
    client.force_login(world.alice)
    assert client.get("/audit/").status_code == 403


SECRET_LOOKING = (
    "token",
    "secret",
    "hash",
    "password",
    "key",
    "otp",
    "recovery",
    "session",
    "salt",
    "nonce",
)
# Looked at and not secret: their names only resemble a secret's.
NOT_SECRET = {"Speaker.session"}  # an event programme's session, not a sign-in session


def test_no_audited_model_records_a_secret_looking_field():
    """A new model with a token, hash, key… must exclude it (SECRET_FIELDS or its audit_exclude)."""
    from django.apps import apps

    from mreza.core.audit import AuditedModel, excluded_fields

    leaks = []
    for model in apps.get_models():
        if not issubclass(model, AuditedModel):
            continue
        excluded = excluded_fields(model)
        for field in model._meta.concrete_fields:
            if any(word in field.name.lower() for word in SECRET_LOOKING) and not (
                {field.name, field.attname} & excluded
            ):
                leaks.append(f"{model.__name__}.{field.name}")
    assert sorted(set(leaks) - NOT_SECRET) == []


def test_invitation_declares_its_token_secret(world):
    from mreza.accounts.models import Invitation
    from mreza.core.audit import snapshot

    assert "token" in Invitation.audit_exclude
    invitation = Invitation.objects.create(
        email="x@example.org", municipality=world.a, role="assessor"
    )
    assert "token" not in snapshot(invitation)
    entry = AuditEntry.objects.filter(content_type__model="invitation").latest("id")
    assert entry.changes["email"] == [None, "x@example.org"] and "token" not in entry.changes


def test_a_huge_text_is_stored_cut_in_the_trail_but_whole_in_the_record(world):
    from mreza.core.audit import MAX_STORED_CHARS

    world.a.description = "d" * 1_000_000
    world.a.save(update_fields=["description"])
    entry = AuditEntry.objects.filter(object_id=str(world.a.pk), action="update").latest("id")
    stored = entry.changes["description"][1]
    assert len(stored) < MAX_STORED_CHARS + 100 and "1000000 characters" in stored
    world.a.refresh_from_db()
    assert len(world.a.description) == 1_000_000


def test_a_file_is_recorded_by_its_name():
    from django.db.models.fields.files import FieldFile

    from mreza.assessment.models import EvidenceFile
    from mreza.core.audit import _plain

    field = EvidenceFile._meta.get_field("file")
    value = FieldFile(EvidenceFile(), field, "evidence/2025/01/a.txt")
    assert _plain(value) == "evidence/2025/01/a.txt"
    assert _plain(FieldFile(EvidenceFile(), field, None)) == ""


def test_the_migration_blanks_secrets_already_stored(world):
    import importlib

    from django.apps import apps as global_apps
    from django.contrib.contenttypes.models import ContentType

    from mreza.accounts.models import Invitation

    migration = importlib.import_module("mreza.core.migrations.0002_blank_secrets_in_audit")
    entry = AuditEntry.objects.create(
        action="create",
        content_type=ContentType.objects.get_for_model(Invitation),
        object_id="1",
        object_repr="x",
        changes={"email": [None, "x@example.org"], "token": [None, "s3cr3t-token"]},
    )
    migration.blank_secrets(global_apps, None)
    entry.refresh_from_db()
    assert entry.changes == {"email": [None, "x@example.org"]}
