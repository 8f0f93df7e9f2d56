"""The way to publication: submit → the network coordinator reviews (returns it with comments or
passes it on) → an expert validates against the published criteria (publishes it as revision 1,
returns it, or does not accept it); a published practice may be withdrawn. A practice that was not
accepted may be revised: it goes back to a draft and takes the whole way again (a new review round;
its rejection and comment stay among its steps). Each step is a ReviewStep the author sees, and a
notification to the people concerned, in their own language and as each chose to be e-mailed."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mreza.core.versioning import EditConflict, save_versioned
from mreza.practices.models import Practice, ReviewStep, TransferOffer
from mreza.practices.services.common import (
    NEWS,
    REFUSED,
    TO_DO,
    PracticeError,
    authors,
    detail_path,
    experts,
    managers,
    notify,
    reviewers,
)
from mreza.practices.services.drafting import publish_revision, refuse_if_incomplete

Status = Practice.Status

# the published criteria (the page /practices/criteria/ and the expert's checklist)
CRITERIA = (
    (
        "results_evidenced",
        gettext_lazy("Results are evidenced with numbers"),
        gettext_lazy(
            "At least one result is measured before and after, with its unit and years, and the "
            "text says where the figures come from."
        ),
    ),
    (
        "transferable",
        gettext_lazy("Transferable, with its prerequisites stated"),
        gettext_lazy(
            "Another municipality can see what it needs to adopt it: people, money, rules, time."
        ),
    ),
    (
        "contact",
        gettext_lazy("A contact person is available"),
        gettext_lazy("Someone in the municipality answers questions about it."),
    ),
    (
        "costs",
        gettext_lazy("Costs and resources are stated"),
        gettext_lazy("What it cost, in money and in staff time, and who paid for it."),
    ),
    (
        "no_personal_data",
        gettext_lazy("No personal data of citizens"),
        gettext_lazy(
            "No names, addresses, photos or other details that identify citizens, unless they "
            "agreed in writing to be shown."
        ),
    ),
)
CRITERION_CODES = tuple(code for code, _label, _text in CRITERIA)


def _move(practice, user, expected, status, fields=(), **values):
    """Move the practice from `expected` (a status or a set) to `status`, bumping its version (an
    edit form opened before the step is then stale)."""
    expected = {expected} if isinstance(expected, str) else set(expected)
    fresh = Practice.objects.select_for_update().get(pk=practice.pk)
    if fresh.status not in expected:
        raise PracticeError(
            _("This practice is now “%(status)s”; the page you acted on was out of date.")
            % {"status": fresh.get_status_display()}
        )
    for name, value in values.items():
        setattr(practice, name, value)
    practice.status = status
    try:
        save_versioned(
            practice,
            ["status", *values, *fields],
            fresh.version,
            condition=Q(status__in=list(expected)),
        )
    except EditConflict as conflict:
        raise PracticeError(_("Someone changed this practice meanwhile; try again.")) from conflict


def _step(practice, action, user, comment="", criteria=None):
    return ReviewStep.objects.create(
        practice=practice, action=action, comment=comment, by=user, criteria=criteria or {}
    )


def _values(practice, comment=""):
    return {
        "title": practice.title,
        "municipality": practice.municipality.name,
        "comment": comment or "—",
    }


def submit(practice, user, request=None):
    """The author's people send it for review (it must be complete, with results in numbers)."""
    refuse_if_incomplete(practice)
    with transaction.atomic():
        _move(
            practice,
            user,
            {Status.DRAFT, Status.RETURNED},
            Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        _step(practice, ReviewStep.Action.SUBMITTED, user)
    notify(
        reviewers(practice),
        TO_DO,
        lambda: _("A good practice waits for your review: %(title)s"),
        lambda: _(
            "%(municipality)s submitted the good practice “%(title)s”. Please review it: "
            "return it with comments or pass it on to validation."
        ),
        _values(practice),
        detail_path(practice),
        exclude=user,
    )
    return practice


def review(practice, user, *, passed: bool, comment: str, request=None):
    """The network coordinator passes it to validation, or returns it (with comments)."""
    comment = comment.strip()
    if not passed and not comment:
        raise PracticeError(_("Say what the author should change: the comment is sent to them."))
    with transaction.atomic():
        _move(
            practice,
            user,
            Status.SUBMITTED,
            Status.REVIEWED if passed else Status.RETURNED,
            reviewed_by=user,
            reviewed_at=timezone.now(),
        )
        _step(
            practice,
            ReviewStep.Action.REVIEWED if passed else ReviewStep.Action.RETURNED,
            user,
            comment,
        )
    values = _values(practice, comment)
    if passed:
        notify(
            experts(practice),
            TO_DO,
            lambda: _("A good practice waits for validation: %(title)s"),
            lambda: _(
                "The network coordinator reviewed “%(title)s” of %(municipality)s. Please "
                "validate it against the published criteria.\n\nComment: %(comment)s"
            ),
            values,
            detail_path(practice),
            exclude=user,
        )
    else:
        _tell_authors(practice, user, values, returned=True)
    return practice


def _tell_authors(practice, user, values, *, returned):
    if returned:
        kind = TO_DO
        subject = lambda: _("Your good practice was returned with comments: %(title)s")  # noqa: E731
        body = lambda: _(  # noqa: E731
            "“%(title)s” was returned to you with comments. Change it and submit it again."
            "\n\nComment: %(comment)s"
        )
    else:
        kind = REFUSED
        subject = lambda: _("Your good practice was not accepted: %(title)s")  # noqa: E731
        body = lambda: _(  # noqa: E731
            "“%(title)s” was not accepted for the library of good practices. You may revise it "
            "and submit it again; it is then reviewed anew.\n\nComment: %(comment)s"
        )
    notify(authors(practice), kind, subject, body, values, detail_path(practice), exclude=user)


def validate(practice, user, *, decision: str, comment: str, criteria: dict, request=None):
    """The expert's decision: "publish" (every criterion met), "return" or "reject" (with a
    comment)."""
    comment = comment.strip()
    criteria = {code: bool(criteria.get(code)) for code in CRITERION_CODES}
    if decision not in ("publish", "return", "reject"):
        raise ValueError(decision)
    if decision == "publish" and not all(criteria.values()):
        raise PracticeError(
            _("A practice is published only when it meets every criterion; return it otherwise.")
        )
    if decision != "publish" and not comment:
        raise PracticeError(_("Say why, in a comment: it is sent to the author."))
    if decision == "publish":
        refuse_if_incomplete(practice)
    target, action = {
        "publish": (Status.PUBLISHED, ReviewStep.Action.VALIDATED),
        "return": (Status.RETURNED, ReviewStep.Action.RETURNED),
        "reject": (Status.REJECTED, ReviewStep.Action.REJECTED),
    }[decision]
    with transaction.atomic():
        extra = {"validated_by": user} if decision == "publish" else {}
        _move(practice, user, Status.REVIEWED, target, **extra)
        _step(practice, action, user, comment, criteria)
        if decision == "publish":
            publish_revision(practice, user)
    values = _values(practice, comment)
    if decision == "publish":
        notify(
            [*authors(practice), *reviewers(practice)],
            NEWS,
            lambda: _("Published in the library of good practices: %(title)s"),
            lambda: _(
                "An expert validated “%(title)s” of %(municipality)s; it is now public in the "
                "library of good practices.\n\nComment: %(comment)s"
            ),
            values,
            detail_path(practice),
            exclude=user,
        )
    else:
        _tell_authors(practice, user, values, returned=decision == "return")
    return practice


def withdraw(practice, user, reason: str, request=None):
    """Take a published practice out of the public library (its old address says so); its offer
    of help closes."""
    reason = reason.strip()
    if not reason:
        raise PracticeError(_("Say why it is withdrawn; readers of its old page see the reason."))
    with transaction.atomic():
        _move(
            practice,
            user,
            Status.PUBLISHED,
            Status.WITHDRAWN,
            withdrawn_at=timezone.now(),
            withdrawal_reason=reason,
        )
        _step(practice, ReviewStep.Action.WITHDRAWN, user, reason)
        for offer in TransferOffer.objects.filter(practice=practice, is_open=True):
            offer.is_open = False
            offer.save(update_fields=["is_open"])
    notify(
        [*reviewers(practice), *managers(practice.municipality_id)],
        NEWS,
        lambda: _("Good practice withdrawn: %(title)s"),
        lambda: _(
            "%(municipality)s withdrew its good practice “%(title)s” from the public library."
            "\n\nReason: %(comment)s"
        ),
        _values(practice, reason),
        detail_path(practice),
        exclude=user,
    )
    return practice


def revise(practice, user, request=None):
    """The author's people take a practice that was not accepted back to a draft, to change it and
    submit it again: a new review round, with the same review and validation. The rejection and its
    comment stay among the steps (the panel shows them while the practice is on its way again);
    the move itself is in the audit trail (ReviewStep has no action for it)."""
    with transaction.atomic():
        _move(practice, user, Status.REJECTED, Status.DRAFT)
    return practice
