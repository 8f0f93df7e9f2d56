"""Optimistic locking: an edit names the version it started from, or it is refused."""

from django.db import transaction
from django.db.models import F


class EditConflict(Exception):
    pass


def save_versioned(instance, fields, expected_version):
    """Save `fields` only if nobody saved since `expected_version`; bump the version."""
    model = type(instance)
    with transaction.atomic():
        updated = model.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
        if not updated:
            raise EditConflict
        instance.version = expected_version + 1
        # A normal save so the change is audited field by field.
        instance.save(update_fields=fields)
