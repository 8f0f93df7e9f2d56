"""Step 5: good practices — drafts, review, validation, the public library, transfer offers.

Who takes part: the people of the practice's municipality write it (any municipal role), submit
it, revise it when it was not accepted (back to a draft, a new review round), update it once
published; its coordinator and management withdraw it and offer help to adopt
it. The network coordinators of an organisation the municipality is a member of review it, the
experts of such an organisation validate it. What each may do depends on where the practice is on
its way to publication (a reviewer acts only on a submitted practice, an expert only on a reviewed
one)."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import Perm, roles_of
from mreza.core.roles import MANAGING_ROLES, OrganisationRoleName
from mreza.practices.models import (
    Attachment,
    Practice,
    PracticeRevision,
    Replication,
    ResultFigure,
    ReviewStep,
    TransferOffer,
    TransferRequest,
)
from mreza.registry.models import Membership

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M

# the Perms decided on a municipality (registry.py hands them here)
MUNICIPALITY_PERMS = frozenset({Perm.SUBMIT_PRACTICE})

Status = Practice.Status
# the author edits a draft, a returned one, and a published one (an update, a new revision)
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.PUBLISHED})
# ... and revises one that was not accepted (workflow.revise: back to a draft, to change it and
# submit it again); the rejection and its comment stay among its steps
REVISABLE = frozenset({Status.REJECTED})
# what reviewers and experts see: everything that has been submitted at least once
SUBMITTED_ONCE = frozenset(set(Status) - {Status.DRAFT})

PRACTICE_PERMS = frozenset(
    {
        Perm.VIEW,
        Perm.EDIT_PRACTICE,
        Perm.REVIEW_PRACTICE,
        Perm.VALIDATE_PRACTICE,
        Perm.WITHDRAW_PRACTICE,
        Perm.OFFER_TRANSFER,
        Perm.REQUEST_TRANSFER,
        Perm.RECORD_REPLICATION,
    }
)


def municipality_rule(user, perm, municipality):
    """Who may start a practice for a municipality: any of its people, and administrators."""
    if perm != Perm.SUBMIT_PRACTICE or not user.is_authenticated:
        return False
    roles = roles_of(user)
    return roles.is_admin or roles.in_municipality(municipality.pk)


def expert_municipality_ids(roles) -> set[int]:
    """Members of the organisations the user is an expert of (loaded once per request)."""
    cached = getattr(roles, "_practice_expert_ids", None)
    if cached is None:
        organisations = [
            o for o, held in roles.organisation.items() if OrganisationRoleName.EXPERT in held
        ]
        cached = (
            set(
                Membership.objects.filter(organisation_id__in=organisations).values_list(
                    "municipality_id", flat=True
                )
            )
            if organisations
            else set()
        )
        roles._practice_expert_ids = cached
    return cached


def _reviews(roles, municipality_id) -> bool:
    return municipality_id in roles.coordinated_municipality_ids


def _validates(roles, municipality_id) -> bool:
    return municipality_id in expert_municipality_ids(roles)


def _adopter_ids(practice) -> set[int]:
    """Municipalities whose transfer request for this practice was confirmed (or whose partnership
    was): they may record that they adopted it."""
    cached = getattr(practice, "_adopter_ids", None)
    if cached is None:
        cached = practice._adopter_ids = set(
            TransferRequest.objects.filter(offer__practice_id=practice.pk)
            .filter(
                Q(status=TransferRequest.Status.CONFIRMED)
                | Q(partnership__confirmed_at__isnull=False)
            )
            .values_list("municipality_id", flat=True)
        )
    return cached


def _open_offer(practice):
    try:
        offer = practice.transfer_offer
    except TransferOffer.DoesNotExist:
        return None
    return offer if offer.is_open else None


def _may_request(roles, practice) -> bool:
    """A coordinator or management of another municipality, while the offer is open."""
    if practice.status != Status.PUBLISHED or _open_offer(practice) is None:
        return False
    return any(
        held & MANAGING_ROLES
        for municipality_id, held in roles.municipal.items()
        if municipality_id != practice.municipality_id
    )


def _may_view(roles, practice) -> bool:
    if practice.status == Status.PUBLISHED or roles.is_admin:
        return True
    municipality_id = practice.municipality_id
    if roles.in_municipality(municipality_id):
        return True
    return practice.status in SUBMITTED_ONCE and (
        _reviews(roles, municipality_id) or _validates(roles, municipality_id)
    )


def practice_rule(user, perm, practice):
    """The practice and what is done to it, by the state it is in (see the module)."""
    if perm not in PRACTICE_PERMS:
        return False
    roles = roles_of(user)
    if perm == Perm.VIEW:
        return _may_view(roles, practice)
    if not user.is_authenticated:
        return False
    municipality_id, status = practice.municipality_id, practice.status
    if perm == Perm.REQUEST_TRANSFER:
        return _may_request(roles, practice)
    admin = roles.is_admin
    if perm == Perm.EDIT_PRACTICE:
        return (status in EDITABLE or status in REVISABLE) and (
            admin or roles.in_municipality(municipality_id)
        )
    if perm == Perm.REVIEW_PRACTICE:
        return status == Status.SUBMITTED and (admin or _reviews(roles, municipality_id))
    if perm == Perm.VALIDATE_PRACTICE:
        return status == Status.REVIEWED and (admin or _validates(roles, municipality_id))
    if status != Status.PUBLISHED:
        return False
    manages = admin or roles.in_municipality(municipality_id, *MANAGING_ROLES)
    if perm in (Perm.WITHDRAW_PRACTICE, Perm.OFFER_TRANSFER):
        return manages
    # RECORD_REPLICATION: the practice's municipality, or an adopter whose request was confirmed
    return manages or any(roles.in_municipality(m, *MANAGING_ROLES) for m in _adopter_ids(practice))


def _review_step_rule(user, perm, step):
    """Comments of the way to publication: the author's people, reviewers, experts, admins (not
    the public, even on a published practice)."""
    if perm != Perm.VIEW:
        return False
    roles = roles_of(user)
    practice = step.practice
    return roles.is_admin or (
        user.is_authenticated
        and (
            roles.in_municipality(practice.municipality_id)
            or _reviews(roles, practice.municipality_id)
            or _validates(roles, practice.municipality_id)
        )
    )


def _part_rule(user, perm, part):
    """Figures, attachments, published revisions, replications follow their practice."""
    return practice_rule(user, perm, part.practice)


def _offer_rule(user, perm, offer):
    return practice_rule(user, perm, offer.practice)


def _request_rule(user, perm, request):
    """A transfer request: seen by both municipalities and admins; nothing else is done on it here
    (its partnership is confirmed on step 2's page)."""
    if perm != Perm.VIEW:
        return False
    roles = roles_of(user)
    return roles.is_admin or any(
        roles.in_municipality(m)
        for m in (request.municipality_id, request.offer.practice.municipality_id)
    )


def published_practices(queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The practices of the public library: validated and published, for everybody."""
    return queryset.filter(status=Practice.Status.PUBLISHED)


def practices_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The practices whose page the user may open (the rule of Perm.VIEW, as a queryset)."""
    visible = Q(status=Practice.Status.PUBLISHED)
    if user.is_authenticated:
        roles = roles_of(user)
        if roles.is_admin:
            return queryset
        visible |= Q(municipality_id__in=list(roles.municipal))
        followed = roles.coordinated_municipality_ids | expert_municipality_ids(roles)
        if followed:
            visible |= Q(municipality_id__in=list(followed), status__in=list(SUBMITTED_ONCE))
    return queryset.filter(visible)


def practices_to_review(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """What waits for this user: submitted practices they review, reviewed ones they validate."""
    roles = roles_of(user)
    if not user.is_authenticated:
        return queryset.none()
    if roles.is_admin:
        return queryset.filter(status__in=[Status.SUBMITTED, Status.REVIEWED])
    waiting = Q(pk__in=[])
    if roles.coordinated_municipality_ids:
        waiting |= Q(
            status=Status.SUBMITTED, municipality_id__in=list(roles.coordinated_municipality_ids)
        )
    experts = expert_municipality_ids(roles)
    if experts:
        waiting |= Q(status=Status.REVIEWED, municipality_id__in=list(experts))
    return queryset.filter(waiting)


RULES = {
    Practice: practice_rule,
    ReviewStep: _review_step_rule,
    TransferOffer: _offer_rule,
    TransferRequest: _request_rule,
    **dict.fromkeys((ResultFigure, Attachment, PracticeRevision, Replication), _part_rule),
}
