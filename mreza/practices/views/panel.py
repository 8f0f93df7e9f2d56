"""The workflow panel of a practice's page: where it is on its way to publication, the steps and
comments this reader may see, the buttons this reader may use (each decided by the policy), and
for a practice that was not accepted (or is on its way again after that) why it was not.

practices_public's detail page includes `practices/_workflow.html` with
`workflow_panel(request, practice)` as its context."""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from mreza.core import richtext
from mreza.core.access import Perm, may
from mreza.core.templatetags.mreza import script
from mreza.practices.models import Practice, ReviewStep, TransferOffer

Status = Practice.Status

# (Perm, the statuses it applies in, label, url name, method): the panel's buttons in this order
BUTTONS = (
    (
        Perm.EDIT_PRACTICE,
        {Status.DRAFT, Status.RETURNED, Status.PUBLISHED},
        _("Edit"),
        "practices:edit",
        "get",
    ),
    (
        Perm.EDIT_PRACTICE,
        {Status.DRAFT, Status.RETURNED},
        _("Submit for review"),
        "practices:submit",
        "post",
    ),
    # back to a draft, to change it and submit it again (a new review round)
    (
        Perm.EDIT_PRACTICE,
        {Status.REJECTED},
        _("Revise it and submit it again"),
        "practices:revise",
        "post",
    ),
    (Perm.REVIEW_PRACTICE, None, _("Review"), "practices:review", "get"),
    (Perm.VALIDATE_PRACTICE, None, _("Validate"), "practices:validate", "get"),
    (Perm.OFFER_TRANSFER, None, _("Offer help to adopt it"), "practices:offer", "get"),
    (Perm.REQUEST_TRANSFER, None, _("Ask for help to adopt it"), "practices:request", "get"),
    (Perm.RECORD_REPLICATION, None, _("Record an adoption"), "practices:replication", "get"),
    (Perm.WITHDRAW_PRACTICE, None, _("Withdraw"), "practices:withdraw", "get"),
)

# what the author is told the practice waits for
WAITING = {
    Status.DRAFT: _("A draft: only your municipality's people see it. Submit it when it is ready."),
    Status.SUBMITTED: _("Waiting for the network coordinator's review."),
    Status.RETURNED: _("Returned with comments: change it and submit it again."),
    Status.REVIEWED: _("Reviewed; waiting for an expert's validation."),
    Status.PUBLISHED: _("Validated and published in the public library."),
    Status.REJECTED: _("Not accepted for the library."),
    Status.WITHDRAWN: _("Withdrawn from the public library."),
}


def _offer(practice):
    try:
        return practice.transfer_offer
    except TransferOffer.DoesNotExist:
        return None


def _rejection(practice, steps):
    """The latest "not accepted" step with its comment, shown above the steps while the practice
    is rejected or on its way again after it (the author changes what it says); None once it is
    published, withdrawn, or was never rejected, and for readers who may not see the steps."""
    if practice.status in (Status.PUBLISHED, Status.WITHDRAWN):
        return None
    rejected = [s for s in steps if s.action == ReviewStep.Action.REJECTED]
    if not rejected:
        return None
    return {"step": rejected[-1], "current": practice.status == Status.REJECTED}


def workflow_panel(request, practice) -> dict:
    """The context of `practices/_workflow.html` for this reader (empty buttons for the public)."""
    user = request.user
    buttons = []
    for perm, statuses, label, name, method in BUTTONS:
        if statuses is not None and practice.status not in statuses:
            continue
        if may(user, perm, practice):
            buttons.append(
                {"label": label, "url": reverse(name, args=[practice.pk]), "method": method}
            )
    steps = []
    probe = ReviewStep(practice=practice)
    if may(user, Perm.VIEW, probe):
        steps = list(practice.review_steps.select_related("by").order_by("at", "id"))
    return {
        "workflow": {
            "practice": practice,
            "status": practice.get_status_display(),
            "status_code": practice.status,
            "waiting": WAITING.get(practice.status, "") if steps or buttons else "",
            "steps": steps,
            "rejection": _rejection(practice, steps),
            "buttons": buttons,
            "offer": _offer(practice),
            "history_url": reverse("practices:history", args=[practice.pk]),
        }
    }


def actions_html(practice):
    """ "What was done" (sanitised on save) with its text in the reader's script, safe to show."""
    return mark_safe(richtext.in_script(richtext.sanitise(practice.actions or ""), script))  # noqa: S308
