"""Optimistic locking: an edit names the version it started from, or it is refused.

The one way to save under optimistic locking is `save_versioned` (with `condition` for a state
the row must still be in, e.g. "round still proposed"); the one way to show the refusal is
`mreza.core.conflicts` (the form again with the user's text, a message, status 409)."""

from django.db import transaction
from django.db.models import F


class EditConflict(Exception):
    """Someone saved since the version the form started from (or the row left `condition`)."""


def save_versioned(instance, fields, expected_version, *, condition=None):
    """Save `fields` only if nobody saved since `expected_version` and the row still matches
    `condition` (a Q, optional); bump the version. Raises EditConflict otherwise, saving nothing."""
    model = type(instance)
    with transaction.atomic():
        rows = model.objects.filter(pk=instance.pk, version=expected_version)
        if condition is not None:
            rows = rows.filter(condition)
        if not rows.update(version=F("version") + 1):
            raise EditConflict
        instance.version = expected_version + 1
        # A normal save so the change is audited field by field.
        instance.save(update_fields=fields)


def save_or_create_versioned(model, lookup, values, expected_version=None):
    """Create the object for `lookup`, or update it as `save_versioned` does (with
    `expected_version` None: whatever version it has now)."""
    with transaction.atomic():
        obj = model.objects.select_for_update().filter(**lookup).first()
        if obj is None:
            if expected_version not in (None, 0):
                raise EditConflict
            obj = model(**lookup, **values)
            obj.save()
            return obj
        for name, value in values.items():
            setattr(obj, name, value)
        save_versioned(
            obj, list(values), obj.version if expected_version is None else expected_version
        )
        return obj
