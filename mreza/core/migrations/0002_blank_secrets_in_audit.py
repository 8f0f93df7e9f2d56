"""Remove secrets (invitation tokens, password hashes, TOTP data) already copied into the audit trail.

The trail no longer records them (core.audit.SECRET_FIELDS and each model's audit_exclude); this clears
what was stored before. The rest of each entry is kept.
"""

from django.db import migrations
from django.db.models import Q

SECRET_KEYS = ("token", "password", "secret", "key", "session_key", "session_data", "recovery_codes",
               "totp_secret", "otp_secret", "password_hash")


def blank_secrets(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    holding = Q()
    for key in SECRET_KEYS:
        holding |= Q(changes__has_key=key)
    for entry in AuditEntry.objects.filter(holding).only("pk", "changes").iterator(chunk_size=2000):
        changes = entry.changes
        if isinstance(changes, dict) and any(k in changes for k in SECRET_KEYS):
            entry.changes = {k: v for k, v in changes.items() if k not in SECRET_KEYS}
            entry.save(update_fields=["changes"])


class Migration(migrations.Migration):

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(blank_secrets, migrations.RunPython.noop)]
