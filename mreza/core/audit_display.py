"""Audit entries as people read them: translated field names, names instead of ids, labels instead
of stored codes, yes/no, dates in the reader's format, long texts shortened (the record stays
complete).

`present(entries)` loads every referenced record in one query per related model, however many
entries there are.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from mreza.core.roles import MunicipalRoleName, OrganisationRoleName

SHOWN_CHARS = 300
EMPTY = "—"


def _role_labels():
    """Invitation.role holds a municipal or an organisation role without declaring choices."""
    return {**dict(MunicipalRoleName.choices), **dict(OrganisationRoleName.choices)}


# (app label, model, field) -> labels, for stored codes whose field declares no choices
EXTRA_LABELS = {("accounts", "invitation", "role"): _role_labels}


def _fields_of(model):
    if model is None:
        return {}
    return {field.attname: field for field in model._meta.concrete_fields}


def _related_names(wanted):
    """{related model: {pk: name}} for the ids collected from the entries (one query per model)."""
    names = {}
    for model, ids in wanted.items():
        clean = set()
        for value in ids:
            try:
                clean.add(model._meta.pk.to_python(value))
            except (TypeError, ValueError, ValidationError):
                continue  # an id recorded in another form than the key's type: shown as it was
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
        objects = model._base_manager.filter(pk__in=clean).select_related(*relations)
        names[model] = {str(obj.pk): _name_of(obj) for obj in objects}
    return names


def _name_of(obj):
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        return full_name()
    return str(obj)


def _date(value, field):
    try:
        if isinstance(field, models.DateTimeField):
            parsed = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return formats.date_format(parsed, "SHORT_DATETIME_FORMAT")
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def display(value, field, names):
    """One stored value, as a reader sees it."""
    if value is None or value == "":
        return EMPTY
    if field is not None:
        if field.is_relation and field.many_to_one:
            related = names.get(field.related_model, {})
            return related.get(str(value), f"#{value}")
        extra = EXTRA_LABELS.get(
            (field.model._meta.app_label, field.model._meta.model_name, field.name)
        )
        if field.choices or extra:
            labels = {
                str(k): v for k, v in (field.flatchoices if field.choices else extra().items())
            }
            return str(labels.get(str(value), value))
        if isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(field, (models.DateField, models.DateTimeField)) and isinstance(value, str):
            return _date(value, field)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return Truncator(str(value)).chars(SHOWN_CHARS)


def present(entries):
    """Give each entry `rows`: [(field label, old, new)] ready to show."""
    entries = list(entries)
    wanted = {}
    for entry in entries:
        fields = _fields_of(entry.content_type.model_class())
        for name, values in entry.changes.items():
            field = fields.get(name)
            if field is not None and field.is_relation and field.many_to_one:
                wanted.setdefault(field.related_model, set()).update(
                    v for v in values if v not in (None, "")
                )
    names = _related_names(wanted)
    for entry in entries:
        fields = _fields_of(entry.content_type.model_class())
        rows = []
        for name, values in entry.changes.items():
            old, new = (
                ([*list(values), None, None])[:2] if isinstance(values, list) else (None, values)
            )
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            rows.append(
                (
                    label[:1].upper() + label[1:],
                    display(old, field, names),
                    display(new, field, names),
                )
            )
        entry.rows = rows
    return entries
