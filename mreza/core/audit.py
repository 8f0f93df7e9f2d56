"""Every change to domain data is recorded: who, when, old and new values.

Models opt in by inheriting AuditedModel. The actor comes from a context variable that
AuditActorMiddleware sets per request and management commands set with `acting_as`.
"""

import contextvars
import datetime
import decimal
import json
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save

from mreza.core.models import AuditEntry

_actor = contextvars.ContextVar("mreza_audit_actor", default=(None, ""))

# Bookkeeping fields that change on every save and say nothing to a reader.
IGNORED_FIELDS = {"search_key", "version", "last_login"}

# Secrets are never copied into the trail, whatever model they sit on. A model names its own
# further secrets in `audit_exclude` (e.g. Invitation.token); tests/test_audit.py checks that
# every audited field with a secret-looking name is covered by one of the two.
SECRET_FIELDS = {
    "password",
    "token",
    "secret",
    "key",
    "session_key",
    "session_data",
    "recovery_codes",
    "totp_secret",
    "otp_secret",
    "password_hash",
}

# A value longer than this (as text) is stored cut, with a marker; the record itself keeps all of
# it.
MAX_STORED_CHARS = 10_000


@contextmanager
def acting_as(user=None, label=""):
    """Attribute changes made inside the block to `user` (or to a labelled system process)."""
    token = _actor.set((user, label))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    return _actor.get()


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        # an uploaded file is recorded by its stored name, never by its content
        return value.name or ""
    return value


def excluded_fields(model):
    """Field names (and attnames) of `model` that the trail never records."""
    return IGNORED_FIELDS | SECRET_FIELDS | set(getattr(model, "audit_exclude", ()))


def snapshot(instance):
    # Deferred fields (from .only()) are left out: reading them would query the database.
    deferred = instance.get_deferred_fields()
    excluded = excluded_fields(type(instance))
    return {
        field.attname: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.attname not in excluded
        and field.name not in excluded
        and not field.primary_key
        and field.attname not in deferred
    }


_SKIPPED_ATTNAMES = {}


def _skipped_attnames(model):
    """Attnames a snapshot leaves out (primary key, ignored and secret fields), once per model."""
    skipped = _SKIPPED_ATTNAMES.get(model)
    if skipped is None:
        excluded = excluded_fields(model)
        skipped = frozenset(
            field.attname
            for field in model._meta.concrete_fields
            if field.attname in excluded or field.name in excluded or field.primary_key
        )
        _SKIPPED_ATTNAMES[model] = skipped
    return skipped


def loaded_values(instance):
    """The values as loaded from the database (or as last saved), in `snapshot` form.

    Made on first use from the row kept by `AuditedModel.from_db`, so that pages which only read
    never build one. None for an instance that was never loaded nor saved.
    """
    loaded = instance.__dict__.get("_audit_loaded")
    if loaded is None:
        row = instance.__dict__.get("_audit_row")
        if row is None:
            return None
        field_names, values = row
        skipped = _skipped_attnames(type(instance))
        loaded = {
            name: _plain(value)
            for name, value in zip(field_names, values, strict=True)
            if name not in skipped
        }
        instance._audit_loaded = loaded
    return loaded


def capped(value):
    """The value as it is stored in AuditEntry.changes: long texts and large structures are cut."""
    if isinstance(value, str):
        if len(value) > MAX_STORED_CHARS:
            return f"{value[:MAX_STORED_CHARS]}… [{len(value)} characters, cut in the audit trail]"
        return value
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text) > MAX_STORED_CHARS:
            return f"{text[:MAX_STORED_CHARS]}… [{len(text)} characters, cut in the audit trail]"
    return value


class AuditedModel(models.Model):
    """Remembers its values as loaded, so a save can record what changed."""

    # Attribute naming the municipality a change belongs to (for the coordinator's history).
    audit_scope_field = None
    # Dotted attribute path to the id of the record this one sits inside (e.g. "workspace_id",
    # "meeting.workspace_id"); stored as AuditEntry.container_id.
    audit_container_field = None
    # Field names this model never lets into the trail, on top of SECRET_FIELDS (e.g. {"token"}).
    audit_exclude = frozenset()

    class Meta:
        abstract = True

    def audit_creation(self):
        """Whether creating this record writes an entry (every model but anonymous answers)."""
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Read paths pay nothing: only the row as loaded is kept (two references). The snapshot
        # of old values is made from it when a save or delete first needs it (loaded_values).
        instance._audit_row = (field_names, values)
        return instance

    def audit_scope(self):
        return getattr(self, self.audit_scope_field) if self.audit_scope_field else None

    def audit_container(self):
        if not self.audit_container_field:
            return None
        value = self
        for name in self.audit_container_field.split("."):
            value = getattr(value, name)
        return value


def _record(instance, action, changes):
    user, label = current_actor()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    AuditEntry.objects.create(
        actor=user,
        actor_label=label or (user.get_username() if user else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        municipality_id=instance.audit_scope(),
        container_id=instance.audit_container(),
        changes={name: [capped(old), capped(new)] for name, (old, new) in changes.items()},
    )


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    if created and not instance.audit_creation():
        instance._audit_loaded = snapshot(instance)
        return
    new = snapshot(instance)
    if created:
        changes = {k: [None, v] for k, v in new.items() if v not in (None, "")}
        action = "create"
    else:
        old = loaded_values(instance) or {}
        update_fields = kwargs.get("update_fields")
        keys = (
            new.keys()
            if not update_fields
            else [k for k in new if k.removesuffix("_id") in update_fields or k in update_fields]
        )
        changes = {k: [old.get(k), new[k]] for k in keys if k in old and old[k] != new[k]}
        action = "update"
        if not changes:
            return
    _record(instance, action, changes)
    instance._audit_loaded = new


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        old = loaded_values(instance) or snapshot(instance)
        _record(instance, "delete", {k: [v, None] for k, v in old.items() if v not in (None, "")})


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A many-to-many list of an audited record changed (e.g. a visit's visiting members): one
    update entry with the ids before and after, recorded on the record that owns the field."""
    if reverse or not isinstance(instance, AuditedModel):
        return
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    if action == "pre_clear":
        # the ids are gone after the clear: keep them for the post_clear entry
        instance.__dict__[f"_audit_m2m_{field.name}"] = sorted(
            getattr(instance, field.name).values_list("pk", flat=True)
        )
        return
    now = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if action == "post_clear":
        before = instance.__dict__.pop(f"_audit_m2m_{field.name}", [])
    elif action == "post_add":
        before = sorted(set(now) - set(pk_set or ()))
    else:
        before = sorted(set(now) | set(pk_set or ()))
    if before != now:
        _record(instance, "update", {field.name: [before, now]})


def connect_signals():
    post_save.connect(_on_save, dispatch_uid="mreza_audit_save")
    post_delete.connect(_on_delete, dispatch_uid="mreza_audit_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="mreza_audit_m2m")
