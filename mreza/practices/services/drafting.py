"""Writing a practice: its text, results, areas and files, in one save that stores all of it or
nothing. A published practice's update is published at once as a new revision with a note of what
changed (the honest simple option: the public sees what the municipality now says, and its
network coordinators are told so they can look), see `save_practice`."""

import functools
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mreza.assessment.evidence import removed_on_failure
from mreza.core import richtext
from mreza.core.versioning import save_versioned
from mreza.practices import uploads
from mreza.practices.models import Attachment, Practice, PracticeRevision, ResultFigure, ReviewStep
from mreza.practices.services.common import NEWS, PracticeError, detail_path, notify, reviewers

# what the form writes on the practice itself
FIELDS = (
    "language",
    "title",
    "summary",
    "problem",
    "actions",
    "results",
    "costs",
    "cost_amount",
    "cost_currency",
    "transferability",
    "prerequisites",
    "contact_name",
    "contact_email",
    "contact_phone",
    "sdg_codes",
    "started_on",
    "ended_on",
    "year",
    "network",
    "workspace",
)
FIGURE_FIELDS = ("label", "unit", "before", "after", "before_year", "after_year")
# what a practice needs before it can be submitted (and stay published)
REQUIRED = (
    ("title", gettext_lazy("a title")),
    ("summary", gettext_lazy("a summary")),
    ("problem", gettext_lazy("the problem")),
    ("actions", gettext_lazy("what was done")),
    ("results", gettext_lazy("the results in words")),
    ("contact_name", gettext_lazy("a contact person")),
    ("language", gettext_lazy("the language it is written in")),
)


@dataclass
class Changes:
    """One save of the practice form: field values, areas, result rows, files to add and remove."""

    values: dict
    areas: list | None = None
    # {"id": pk or None, "label", "unit", "before", "after", "before_year", "after_year",
    # "delete": bool}
    figures: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    remove: list = field(default_factory=list)


def sdg_codes(goals) -> str:
    """Goals 1-17 as stored (",6,11,")."""
    codes = sorted({int(g) for g in goals if 1 <= int(g) <= 17})
    return f",{','.join(map(str, codes))}," if codes else ""


def missing(practice) -> list[str]:
    """What a practice still lacks for submission (translated), empty when it is complete."""
    gaps = [
        str(label) for name, label in REQUIRED if not str(getattr(practice, name) or "").strip()
    ]
    if richtext.plain_text(practice.actions or "") == "" and str(REQUIRED[3][1]) not in gaps:
        gaps.append(str(REQUIRED[3][1]))
    if not practice.figures.exists():
        gaps.append(_("at least one result in numbers (before and after)"))
    return gaps


def refuse_if_incomplete(practice):
    gaps = missing(practice)
    if gaps:
        raise PracticeError(
            _("This practice cannot be submitted yet. It still needs: %(missing)s.")
            % {"missing": "; ".join(gaps)}
        )


def _apply(practice, values):
    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(name)
        if name == "actions":
            value = richtext.sanitise(value or "")
        setattr(practice, name, value if value is not None or name in NULLABLE else "")


NULLABLE = {"cost_amount", "started_on", "ended_on", "year", "network", "workspace"}
REVISE_FIRST = gettext_lazy(
    "This practice was not accepted. Revise it first: it goes back to a draft that you can "
    "change and submit again."
)


def _save_figures(practice, figures):
    existing = {f.pk: f for f in practice.figures.all()}
    position = 0
    for row in figures:
        figure = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if figure is not None:
                figure.delete()
            continue
        if figure is None:
            figure = ResultFigure(practice=practice)
        for name in FIGURE_FIELDS:
            setattr(figure, name, row.get(name) if name in row else getattr(figure, name))
        figure.unit = figure.unit or ""
        figure.position = position
        position += 1
        figure.save()


def _check_files(practice, changes):
    """Every new file checked, and the counts within the limits, before anything is stored."""
    checked = [(u, uploads.check_photo(u), Attachment.Kind.PHOTO) for u in changes.photos]
    checked += [(u, uploads.check_document(u), Attachment.Kind.DOCUMENT) for u in changes.documents]
    kept = practice.attachments.exclude(pk__in=changes.remove) if practice.pk else None
    for kind, limit in (
        (Attachment.Kind.PHOTO, uploads.MAX_PHOTOS),
        (Attachment.Kind.DOCUMENT, uploads.MAX_DOCUMENTS),
    ):
        count = (kept.filter(kind=kind).count() if kept is not None else 0) + sum(
            1 for _u, _k, a in checked if a == kind
        )
        if count > limit:
            raise PracticeError(
                _("A practice may have at most %(limit)s photos and %(documents)s documents.")
                % {"limit": uploads.MAX_PHOTOS, "documents": uploads.MAX_DOCUMENTS}
            )
    return checked


def _store_files(practice, user, checked, remove, stored):
    gone = list(practice.attachments.filter(pk__in=remove))
    for attachment in gone:
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        transaction.on_commit(functools.partial(storage.delete, name))
    start = practice.attachments.count()
    for offset, (upload, kind, attachment_kind) in enumerate(checked):
        attachment = Attachment(
            practice=practice,
            kind=attachment_kind,
            name=uploads.clean_name(upload.name),
            content_type=uploads.content_type(kind),
            size=upload.size,
            position=start + offset,
            uploaded_by=user,
        )
        attachment.file.save(uploads.stored_name(kind), upload, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()


def _checked(changes, practice):
    try:
        return _check_files(practice, changes)
    except uploads.UploadRefused as refusal:
        raise PracticeError(str(refusal)) from refusal


def create_practice(municipality, user, changes: Changes, *, transferred_practice=None):
    """A new draft of `municipality`, written by `user` (all of it stored, or nothing)."""
    practice = Practice(
        municipality=municipality, created_by=user, transferred_practice=transferred_practice
    )
    _apply(practice, changes.values)
    checked = _checked(changes, practice)
    with removed_on_failure() as stored, transaction.atomic():
        practice.save()
        if changes.areas is not None:
            practice.areas.set(changes.areas)
        _save_figures(practice, changes.figures)
        _store_files(practice, user, checked, [], stored)
    return practice


def save_practice(practice, user, changes: Changes, version: int, *, note="", request=None):
    """Save an edit made from `version` (EditConflict if someone saved since). A published
    practice must stay complete; its update is published at once as a new revision with `note`
    (what changed), and the network coordinators are told."""
    if practice.status == Practice.Status.REJECTED:
        # a practice that was not accepted is revised first (workflow.revise: back to a draft, a
        # new review round); edited as it is, it would stay "not accepted" with a text nobody
        # reviewed
        raise PracticeError(str(REVISE_FIRST))
    published = practice.status == Practice.Status.PUBLISHED
    if published and not note.strip():
        raise PracticeError(_("Say in a sentence what changed: readers see it in the history."))
    _apply(practice, changes.values)
    checked = _checked(changes, practice)
    with removed_on_failure() as stored, transaction.atomic():
        save_versioned(
            practice, [*FIELDS, "updated_at"], version, condition=Q(status=practice.status)
        )
        if changes.areas is not None:
            practice.areas.set(changes.areas)
        _save_figures(practice, changes.figures)
        _store_files(practice, user, checked, changes.remove, stored)
        if published:
            refuse_if_incomplete(practice)
            publish_revision(practice, user, note)
            ReviewStep.objects.create(
                practice=practice, action=ReviewStep.Action.UPDATED, comment=note, by=user
            )
    if published:
        _tell_about_update(practice, user, note, request)
    return practice


def publish_revision(practice, user, note=""):
    """Store the text as now published (the next revision) and point the practice at it."""
    practice.revision += 1
    now = timezone.now()
    practice.published_at = practice.published_at or now
    practice.save(update_fields=["revision", "published_at"])
    return PracticeRevision.objects.create(
        practice=practice,
        number=practice.revision,
        content=snapshot(practice),
        note=note[:300],
        published_by=user,
        published_at=now,
    )


def _json(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(practice) -> dict:
    """The published fields as JSON (PracticeRevision.content)."""
    content = {
        name: _json(getattr(practice, name))
        for name in FIELDS
        if name not in ("network", "workspace")
    }
    content["network_id"], content["workspace_id"] = practice.network_id, practice.workspace_id
    content["areas"] = list(practice.areas.order_by("position").values_list("code", flat=True))
    content["figures"] = [
        {name: _json(getattr(f, name)) for name in FIGURE_FIELDS}
        for f in practice.figures.order_by("position", "id")
    ]
    return content


def _tell_about_update(practice, user, note, request):
    notify(
        reviewers(practice),
        NEWS,
        lambda: _("Updated good practice: %(title)s"),
        lambda: _(
            "%(municipality)s published an update of its good practice “%(title)s” "
            "(revision %(revision)s). What changed: %(note)s"
        ),
        {
            "title": practice.title,
            "municipality": practice.municipality.name,
            "revision": practice.revision,
            "note": note,
        },
        detail_path(practice),
        exclude=user,
    )


def draft_from_transfer(transferred):
    """Initial form values for a practice made from a twinning's transferred practice: the adopter
    writes what it took over and what came of it."""
    return {
        "title": transferred.title,
        "summary": transferred.description,
        "actions": transferred.description,
        "results": transferred.result,
        "contact_name": transferred.responsible,
        "year": transferred.adopted_on.year if transferred.adopted_on else None,
        "workspace": transferred.workspace_id,
    }
