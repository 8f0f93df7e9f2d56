"""Step 1: assessments, individual scores and learning profiles."""

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from mreza.assessment.models import (
    Assessment,
    Entry,
    EvidenceFile,
    Framework,
    GroupMember,
    LearningProfile,
)
from mreza.core.access.base import Perm, managed_municipalities, roles_of
from mreza.core.roles import (
    LEADING_GROUP_ROLES,
    MANAGING_ROLES,
    MunicipalRoleName,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M


def _submitted_ids(assessment):
    """Who has submitted their scores in this assessment (one query, cached on the assessment)."""
    cached = assessment.__dict__.get("_submitted_ids")
    if cached is None:
        cached = assessment.__dict__["_submitted_ids"] = set(
            assessment.members.filter(submitted_at__isnull=False).values_list("user_id", flat=True)
        )
    return cached


def _entry_rule(user, perm, entry):
    """An individual score: the assessor's alone until submitted (entry_visible); nobody changes it
    here."""
    assessment = entry.assessment
    return (
        perm == Perm.VIEW
        and user.is_authenticated
        and entry_visible(user, entry, assessment, _submitted_ids(assessment))
    )


def _evidence_rule(user, perm, evidence):
    """An evidence file is seen, and downloaded, by whoever may see its entry."""
    if perm == Perm.DOWNLOAD_EVIDENCE:
        perm = Perm.VIEW
    return _entry_rule(user, perm, evidence.entry)


def group_role(user, assessment):
    """The user's role in the assessment's self-assessment group, or None (one query, cached)."""
    if not user.is_authenticated:
        return None
    cache = assessment.__dict__.setdefault("_group_roles", {})
    if user.pk not in cache:
        cache[user.pk] = assessment.members.filter(user=user).values_list("role", flat=True).first()
    return cache[user.pk]


def _assessment_rule(user, perm, assessment):
    """Assessments are private to their group, the coordinator and management; never to other
    municipalities."""
    roles = roles_of(user)
    if perm in (Perm.ASSESS, Perm.SCORE, Perm.EDIT_SCORES):
        # one's own scoring, for the members of the group only (administrators included)
        member_role = group_role(user, assessment)
        if perm == Perm.ASSESS or member_role is None:
            return member_role is not None
        if perm == Perm.SCORE:
            return assessment.status == "scoring"
        return assessment.status == "scoring" and user.pk not in _submitted_ids(assessment)
    if roles.is_admin:
        return True
    municipality_id = assessment.municipality_id
    is_coordinator = roles.in_municipality(municipality_id, MunicipalRoleName.COORDINATOR)
    is_management = roles.in_municipality(municipality_id, MunicipalRoleName.MANAGEMENT)
    member_role = group_role(user, assessment)
    if perm == Perm.VIEW:
        return member_role is not None or is_coordinator or is_management
    if perm == Perm.MANAGE:
        return member_role in LEADING_GROUP_ROLES or is_coordinator
    if perm == Perm.ACCEPT:
        return is_management
    if perm == Perm.EDIT_PLAN:
        return member_role in LEADING_GROUP_ROLES or is_coordinator or is_management
    if perm == Perm.EDIT_PROFILE:
        return is_coordinator or is_management
    return False


def _profile_rule(user, perm, profile):
    roles = roles_of(user)
    if roles.is_admin:
        return True
    own = roles.in_municipality(profile.municipality_id, *MANAGING_ROLES)
    if perm != Perm.VIEW:
        return own
    if own or roles.in_municipality(profile.municipality_id):
        return True
    if profile.sharing == "public":
        return True
    # "shared with coordinators": the network coordinators of the organisations the municipality is
    # a
    # member of (registry.Membership), not every coordinator of every association
    return (
        profile.sharing == "coordinators"
        and profile.municipality_id in roles.coordinated_municipality_ids
    )


def assessments_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The assessments a user may open: their groups', and their municipalities' as coordinator or
    management."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(members__user=user) | Q(municipality_id__in=managed_municipalities(user))
    ).distinct()


def profiles_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    visible = Q(sharing="public") | Q(municipality_id__in=list(roles.municipal))
    if roles.coordinated_municipality_ids:
        visible |= Q(sharing="coordinators", municipality_id__in=roles.coordinated_municipality_ids)
    return queryset.filter(visible)


def entry_visible(user, entry, assessment, submitted_by):
    """An assessor's entries are theirs alone until they submit; then the group's leaders see
    them."""
    if entry.assessor_id == user.pk:
        return True
    return entry.assessor_id in submitted_by and _assessment_rule(user, Perm.MANAGE, assessment)


def entries_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The individual scores (Entry) a user may see, as a queryset: the same rule as entry_visible —
    their own, and those of assessors who submitted, for whoever may manage the assessment."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    submitted = Exists(
        GroupMember.objects.filter(
            assessment_id=OuterRef("assessment_id"),
            user_id=OuterRef("assessor_id"),
            submitted_at__isnull=False,
        )
    )
    if roles.is_admin:
        managed = Q()
    else:
        leading = GroupMember.objects.filter(user=user, role__in=LEADING_GROUP_ROLES)
        coordinated = [m for m, r in roles.municipal.items() if MunicipalRoleName.COORDINATOR in r]
        managed = Q(assessment__municipality_id__in=coordinated) | Q(
            assessment_id__in=leading.values("assessment_id")
        )
    return queryset.filter(Q(assessor_id=user.pk) | (Q(submitted) & managed))


def assessments_led_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """Assessments the user takes forward: those of the municipalities they coordinate or manage,
    and those whose group they lead or administer."""
    return queryset.filter(
        Q(municipality_id__in=managed_municipalities(user))
        | Q(members__user=user, members__role__in=LEADING_GROUP_ROLES)
    ).distinct()


def _framework_rule(user, perm, framework):
    """A framework (CAF, ELoGE) is a published reference text: anybody reads it; it is loaded
    and changed only by administrators (the command line)."""
    return perm == Perm.VIEW or roles_of(user).is_admin


RULES = {
    Framework: _framework_rule,
    Assessment: _assessment_rule,
    LearningProfile: _profile_rule,
    Entry: _entry_rule,
    EvidenceFile: _evidence_rule,
}
