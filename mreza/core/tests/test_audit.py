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
    actions = list(AuditEntry.objects.filter(object_repr="Nova").values_list("action", "actor_label"))
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
