"""The access policy: the one place that decides who may see or change what.

Views never check roles themselves; they call `may()` or `get_or_deny()`. Registry facts
(names, populations, the map) are public; everything about people, history and a
municipality's own work is private to that municipality and the people it works with.
"""

import functools
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404


class Perm(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    VIEW_PEOPLE = "view_people"
    MANAGE_PEOPLE = "manage_people"
    VIEW_HISTORY = "view_history"
    SCORE = "score"
    MANAGE = "manage"
    ACCEPT = "accept"
    EDIT_PLAN = "edit_plan"
    EDIT_PROFILE = "edit_profile"
    INVITE_FIRST_COORDINATOR = "invite_first_coordinator"


MFA_ROLES_MUNICIPAL = {"coordinator"}
MFA_ROLES_ORGANISATION = {"network_coordinator", "platform_admin"}


class Roles:
    """A user's roles, loaded once per request (two queries)."""

    def __init__(self, user):
        self.municipal = {}
        self.organisation = {}
        self.coordinated_municipality_ids = set()
        self.is_admin = bool(user.is_authenticated and user.is_superuser)
        if not user.is_authenticated:
            return
        for municipality_id, role in user.municipal_roles.values_list("municipality_id", "role"):
            self.municipal.setdefault(municipality_id, set()).add(role)
        for organisation_id, role in user.organisation_roles.values_list("organisation_id", "role"):
            self.organisation.setdefault(organisation_id, set()).add(role)
        if any("platform_admin" in roles for roles in self.organisation.values()):
            self.is_admin = True
        coordinated = [
            o for o, roles in self.organisation.items() if "network_coordinator" in roles
        ]
        if coordinated:
            from mreza.registry.models import Membership

            self.coordinated_municipality_ids = set(
                Membership.objects.filter(organisation_id__in=coordinated).values_list(
                    "municipality_id", flat=True
                )
            )

    def in_municipality(self, municipality_id, *roles):
        held = self.municipal.get(municipality_id, set())
        return bool(held & set(roles)) if roles else bool(held)

    def in_organisation(self, organisation_id, *roles):
        held = self.organisation.get(organisation_id, set())
        return bool(held & set(roles)) if roles else bool(held)

    @property
    def needs_mfa(self):
        return (
            self.is_admin
            or any(r & MFA_ROLES_MUNICIPAL for r in self.municipal.values())
            or any(r & MFA_ROLES_ORGANISATION for r in self.organisation.values())
        )

    @property
    def is_network_coordinator(self):
        return any("network_coordinator" in r for r in self.organisation.values())


# the municipal roles that act for the municipality as a whole
MANAGING_ROLES = ("coordinator", "management")


def roles_of(user):
    cached = getattr(user, "_mreza_roles", None)
    if cached is None:
        cached = Roles(user)
        if user.is_authenticated:
            user._mreza_roles = cached
    return cached


def _municipality_rule(user, perm, municipality):
    if perm == Perm.VIEW:
        return True
    roles = roles_of(user)
    if perm == Perm.INVITE_FIRST_COORDINATOR:
        return _may_invite_first_coordinator(roles, municipality)
    if roles.is_admin:
        return True
    if perm == Perm.VIEW_PEOPLE:
        return (
            roles.in_municipality(municipality.pk)
            or municipality.pk in roles.coordinated_municipality_ids
        )
    if perm in (Perm.CHANGE, Perm.MANAGE_PEOPLE, Perm.VIEW_HISTORY):
        return roles.in_municipality(municipality.pk, "coordinator")
    return False


def _may_invite_first_coordinator(roles, municipality):
    """A network coordinator may invite the first coordinator of a municipality that has none, when it is a
    member of their organisation or takes part in one of its grouping rounds (administrators: any)."""
    from mreza.accounts.models import MunicipalRole

    if MunicipalRole.objects.filter(municipality_id=municipality.pk, role="coordinator").exists():
        return False
    if roles.is_admin:
        return True
    organisations = _coordinated_organisation_ids(roles)
    if not organisations:
        return False
    if municipality.pk in roles.coordinated_municipality_ids:
        return True
    from mreza.networks.models import Participant

    return Participant.objects.filter(
        round__organisation_id__in=organisations, municipality_id=municipality.pk
    ).exists()


def _organisation_rule(user, perm, organisation):
    if perm == Perm.VIEW:
        return True
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if perm == Perm.VIEW_PEOPLE:
        return roles.in_organisation(organisation.pk)
    if perm == Perm.MANAGE_PEOPLE:
        return roles.in_organisation(organisation.pk, "network_coordinator")
    return False


def _audit_rule(user, perm, entry):
    """An audit entry follows the policy of the record it describes (see audit_entries_visible_to)."""
    from mreza.core.models import AuditEntry

    if perm != Perm.VIEW or not user.is_authenticated:
        return False
    return audit_entries_visible_to(user, AuditEntry.objects.filter(pk=entry.pk)).exists()


def _submitted_ids(assessment):
    """Who has submitted their scores in this assessment (one query, cached on the assessment)."""
    cached = assessment.__dict__.get("_submitted_ids")
    if cached is None:
        cached = assessment.__dict__["_submitted_ids"] = set(
            assessment.members.filter(submitted_at__isnull=False).values_list("user_id", flat=True)
        )
    return cached


def _entry_rule(user, perm, entry):
    """An individual score: the assessor's alone until submitted (entry_visible); nobody changes it here."""
    assessment = entry.assessment
    return (
        perm == Perm.VIEW
        and user.is_authenticated
        and entry_visible(user, entry, assessment, _submitted_ids(assessment))
    )


def _evidence_rule(user, perm, evidence):
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
    """Assessments are private to their group, the coordinator and management; never to other municipalities."""
    roles = roles_of(user)
    if roles.is_admin:
        return perm != Perm.SCORE or group_role(user, assessment) is not None
    municipality_id = assessment.municipality_id
    is_coordinator = roles.in_municipality(municipality_id, "coordinator")
    is_management = roles.in_municipality(municipality_id, "management")
    member_role = group_role(user, assessment)
    if perm == Perm.VIEW:
        return member_role is not None or is_coordinator or is_management
    if perm == Perm.SCORE:
        return member_role is not None and assessment.status == "scoring"
    if perm == Perm.MANAGE:
        return member_role in ("leader", "administrator") or is_coordinator
    if perm == Perm.ACCEPT:
        return is_management
    if perm == Perm.EDIT_PLAN:
        return member_role in ("leader", "administrator") or is_coordinator or is_management
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
    # "shared with coordinators": the network coordinators of the organisations the municipality is a
    # member of (registry.Membership), not every coordinator of every association
    return (
        profile.sharing == "coordinators"
        and profile.municipality_id in roles.coordinated_municipality_ids
    )


def _round_rule(user, perm, round_):
    """Grouping rounds belong to the coordinating organisation; a municipality sees only its own part,
    through its invitations, never the round."""
    roles = roles_of(user)
    return roles.is_admin or roles.in_organisation(round_.organisation_id, "network_coordinator")


def _network_rule(user, perm, network):
    roles = roles_of(user)
    if roles.is_admin or roles.in_organisation(
        network.round.organisation_id, "network_coordinator"
    ):
        return True
    if perm != Perm.VIEW:
        return False
    member_ids = getattr(network, "_member_ids", None)
    if member_ids is None:
        member_ids = network._member_ids = set(
            network.memberships.values_list("municipality_id", flat=True)
        )
    return any(roles.in_municipality(m) for m in member_ids)


def _answer_rule(user, perm, answerable):
    """Answering a network place or a partnership side: the municipality's coordinator or management."""
    roles = roles_of(user)
    municipality_ids = getattr(
        answerable, "answering_municipality_ids", lambda: [answerable.municipality_id]
    )()
    if perm == Perm.VIEW:
        return roles.is_admin or any(roles.in_municipality(m) for m in municipality_ids)
    return any(roles.in_municipality(m, *MANAGING_ROLES) for m in municipality_ids)


def may_answer(user, answerable, side=None):
    """May answer a network place, or one `side` ("learner" or "mentor") of a partnership."""
    if side is None:
        return may(user, Perm.CHANGE, answerable)
    return roles_of(user).in_municipality(getattr(answerable, f"{side}_id"), *MANAGING_ROLES)


@functools.cache
def _rules():
    # built on first use: the models import this module
    from mreza.assessment.models import Assessment, Entry, EvidenceFile, LearningProfile
    from mreza.core.models import AuditEntry
    from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership
    from mreza.registry.models import Municipality, Organisation

    return {
        Municipality: _municipality_rule,
        Organisation: _organisation_rule,
        AuditEntry: _audit_rule,
        Assessment: _assessment_rule,
        LearningProfile: _profile_rule,
        GroupingRound: _round_rule,
        Network: _network_rule,
        NetworkMembership: _answer_rule,
        Partnership: _answer_rule,
        Entry: _entry_rule,
        EvidenceFile: _evidence_rule,
    }


def may(user, perm, obj):
    rule = _rules().get(type(obj))
    if rule is None:
        # Private by default: an object type without a rule is visible to administrators only.
        return roles_of(user).is_admin
    return rule(user, Perm(perm), obj)


def get_or_deny(user, perm, queryset, **lookup):
    """The object, or 404 if the user may not even see it, or 403 if they may see but not do `perm`."""
    obj = get_object_or_404(queryset, **lookup)
    if not may(user, Perm.VIEW, obj):
        raise Http404
    if perm != Perm.VIEW and not may(user, perm, obj):
        raise PermissionDenied
    return obj


def require_admin(user):
    if not roles_of(user).is_admin:
        raise PermissionDenied


def assessments_visible_to(user, queryset):
    """The assessments a user may open: their groups', and their municipalities' as coordinator or management."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(members__user=user) | Q(municipality_id__in=managed_municipalities(user))
    ).distinct()


def profiles_visible_to(user, queryset):
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    visible = Q(sharing="public") | Q(municipality_id__in=list(roles.municipal))
    if roles.coordinated_municipality_ids:
        visible |= Q(sharing="coordinators", municipality_id__in=roles.coordinated_municipality_ids)
    return queryset.filter(visible)


def entry_visible(user, entry, assessment, submitted_by):
    """An assessor's entries are theirs alone until they submit; then the group's leaders see them."""
    if entry.assessor_id == user.pk:
        return True
    return entry.assessor_id in submitted_by and may(user, Perm.MANAGE, assessment)


def _coordinated_organisation_ids(roles):
    return [o for o, r in roles.organisation.items() if "network_coordinator" in r]


def rounds_visible_to(user, queryset):
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(organisation_id__in=_coordinated_organisation_ids(roles))


def organisations_coordinated_by(user, queryset):
    """Organisations for which the user may open grouping rounds (administrators: any)."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(pk__in=_coordinated_organisation_ids(roles))


def managed_municipalities(user):
    """Municipalities this user coordinates or manages: whose assessments they follow and whose
    invitations they answer."""
    return [m for m, r in roles_of(user).municipal.items() if r & set(MANAGING_ROLES)]


def entries_visible_to(user, queryset):
    """The individual scores (Entry) a user may see, as a queryset: the same rule as entry_visible —
    their own, and those of assessors who submitted, for whoever may manage the assessment."""
    from mreza.assessment.models import GroupMember

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
        leading = GroupMember.objects.filter(user=user, role__in=["leader", "administrator"])
        coordinated = [m for m, r in roles.municipal.items() if "coordinator" in r]
        managed = Q(assessment__municipality_id__in=coordinated) | Q(
            assessment_id__in=leading.values("assessment_id")
        )
    return queryset.filter(Q(assessor_id=user.pk) | (Q(submitted) & managed))


@functools.cache
def audit_kinds():
    """How the audit trail decides who sees an entry, per audited model. Every AuditedModel must be in
    exactly one group (tests/test_audit_visibility.py checks it); an unknown type is for administrators only.

    - scope: the policy lets the coordinator of the municipality a record belongs to see every such record
      (registry facts, roles, invitations, assessments and their group work, profiles, answers). The entry is
      shown to that coordinator and to administrators, also after the record was deleted (nothing secret).
    - restricted: whether the record may be seen depends on its current state (an assessor's score is theirs
      alone until they submit). The entry is shown only to whoever may see the record now, through a
      queryset rule equal to its `may` rule; once the record is deleted, to administrators only.
    - unscoped: records that belong to no municipality (countries, organisations, frameworks, rounds):
      administrators only.
    """
    from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole
    from mreza.assessment.models import (
        Assessment,
        Consensus,
        Entry,
        EvidenceFile,
        Framework,
        GroupMember,
        ImprovementAction,
        LearningProfile,
    )
    from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership
    from mreza.registry.models import Country, Membership, Municipality, Organisation, Region

    scope = {
        Municipality,
        Membership,
        MunicipalRole,
        Invitation,
        Assessment,
        GroupMember,
        Consensus,
        ImprovementAction,
        LearningProfile,
        NetworkMembership,
        Partnership,
    }
    restricted = {
        Entry: lambda user: entries_visible_to(user, Entry.objects.all()),
        EvidenceFile: lambda user: EvidenceFile.objects.filter(
            entry__in=entries_visible_to(user, Entry.objects.all())
        ),
    }
    unscoped = {Country, Region, Organisation, Framework, OrganisationRole, GroupingRound, Network}
    return scope, restricted, unscoped


def _pk_texts(queryset):
    # AuditEntry.object_id is text; compare it with the primary keys as text, inside one SQL statement
    return queryset.order_by().annotate(_audit_pk=Cast("pk", CharField())).values("_audit_pk")


def audit_entries_visible_to(user, queryset):
    """Audit entries the user may read: administrators, and a municipality's coordinator for its records,
    each entry only if the record it describes may be seen (audit_kinds). One query, however long the list."""
    from django.contrib.contenttypes.models import ContentType

    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    scope, restricted, unscoped = audit_kinds()
    types = ContentType.objects.get_for_models(*scope, *restricted, *unscoped)
    if roles.is_admin:
        visible = ~Q(content_type_id__in=[types[m].pk for m in restricted])
    else:
        coordinated = [m for m, r in roles.municipal.items() if "coordinator" in r]
        queryset = queryset.filter(municipality_id__in=coordinated)
        visible = Q(content_type_id__in=[types[m].pk for m in scope])
    for model, objects in restricted.items():
        kind = Q(content_type_id=types[model].pk)
        visible |= kind & Q(object_id__in=_pk_texts(objects(user)))
        if roles.is_admin:
            visible |= kind & ~Q(object_id__in=_pk_texts(model._base_manager.all()))
    return queryset.filter(visible)
