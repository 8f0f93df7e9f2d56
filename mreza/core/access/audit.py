"""Who reads which audit entries: each follows the policy of the record it describes."""

import functools
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole
from mreza.api.models import ApiToken
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
from mreza.core.access.assessment import entries_visible_to
from mreza.core.access.base import Perm, roles_of
from mreza.core.access.evaluation import EVALUATION_PATHS
from mreza.core.access.events import events_run_by
from mreza.core.access.progress import WORKSPACE_PATHS, workspace_rule, workspaces_visible_to
from mreza.core.models import AuditEntry
from mreza.core.roles import (
    MunicipalRoleName,
)
from mreza.events.models import AttendanceCertificate, Event, Session, Speaker
from mreza.events.models import Registration as EventRegistration
from mreza.networks.models import (
    GroupingRound,
    Network,
    NetworkMembership,
    Partnership,
)
from mreza.opendata.models import OpenDataRelease
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
from mreza.progress.models import (
    Workspace,
)
from mreza.registry.models import Country, Membership, Municipality, Organisation, Region
from mreza.surveys.models import Item, Response, Survey, Wave

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M


def _audit_rule(user, perm, entry):
    """An audit entry follows the policy of the record it describes (see
    audit_entries_visible_to)."""
    if perm != Perm.VIEW or not user.is_authenticated:
        return False
    return audit_entries_visible_to(user, AuditEntry.objects.filter(pk=entry.pk)).exists()


#: Restricted records that belong to no municipality: their entries follow the policy alone.
_OF_NO_MUNICIPALITY = frozenset({Event, Session, Speaker, EventRegistration, AttendanceCertificate})


def _events_run(user):
    return events_run_by(user, Event.objects.all())


def _registrations_seen(user):
    """The registrations' rule of Perm.VIEW as a queryset: the person's own, and those of the
    events the user runs."""
    return EventRegistration.objects.filter(Q(user_id=user.pk) | Q(event__in=_events_run(user)))


@functools.cache
def audit_kinds():
    """How the audit trail decides who sees an entry, per audited model. Every AuditedModel must be
    in exactly one group (tests/test_audit_visibility.py checks it); an unknown type is for
    administrators only.

    - scope: the policy lets the coordinator of the municipality a record belongs to see every such
    record (registry facts, roles, invitations, assessments and their group work, profiles,
    answers). The entry is shown to that coordinator and to administrators, also after the record
    was deleted (nothing secret).
    - restricted: whether the record may be seen depends on its current state (an assessor's score
    is theirs alone until they submit). The entry is shown only to whoever may see the record now,
    through a queryset rule equal to its `may` rule; once the record is deleted, to administrators
    only. A record of a municipality (an assessor's score) is shown to that municipality's
    coordinator when the rule lets them see it; a record of no municipality (an event, run by an
    organisation's network coordinators and its host's coordinator) to whoever the rule lets
    through. An event's trail (drafts, programme, capacity) is its organisers', not the public's
    (Perm.MANAGE_EVENT, not VIEW); a registration's and its certificate's are the organisers' and
    the person's (Perm.VIEW).
    - unscoped: records that belong to no municipality (countries, organisations, frameworks,
    rounds): administrators only.
    - contained: a workspace and everything in it (AuditEntry.container_id is the workspace): shown
    to whoever may see that workspace now; once it is deleted, to administrators only.
    """
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
        Survey,
        Item,
        Wave,
        Response,
        # good practices: the author municipality's (a transfer request: the requester's)
        Practice,
        ResultFigure,
        Attachment,
        ReviewStep,
        PracticeRevision,
        TransferOffer,
        TransferRequest,
        Replication,
    }
    restricted = {
        Entry: lambda user: entries_visible_to(user, Entry.objects.all()),
        EvidenceFile: lambda user: EvidenceFile.objects.filter(
            entry__in=entries_visible_to(user, Entry.objects.all())
        ),
        Event: _events_run,
        Session: lambda user: Session.objects.filter(event__in=_events_run(user)),
        Speaker: lambda user: Speaker.objects.filter(session__event__in=_events_run(user)),
        EventRegistration: _registrations_seen,
        AttendanceCertificate: lambda user: AttendanceCertificate.objects.filter(
            registration__in=_registrations_seen(user)
        ),
    }
    unscoped = {
        Country,
        Region,
        Organisation,
        Framework,
        OrganisationRole,
        GroupingRound,
        Network,
        ApiToken,
        OpenDataRelease,
    }
    return scope, restricted, unscoped, {Workspace, *WORKSPACE_PATHS, *EVALUATION_PATHS}


def workspace_history(user: "AnyUser", workspace: Workspace) -> "QuerySet[AuditEntry]":
    """The audit trail of one workspace and everything in it, for whoever may see the workspace."""
    if not workspace_rule(user, Perm.VIEW, workspace):
        return AuditEntry.objects.none()
    _scope, _restricted, _unscoped, contained = audit_kinds()
    types = ContentType.objects.get_for_models(*contained)
    return AuditEntry.objects.filter(
        content_type_id__in=[t.pk for t in types.values()], container_id=workspace.pk
    )


def _pk_texts(queryset):
    # AuditEntry.object_id is text; compare it with the primary keys as text, inside one SQL
    # statement
    return queryset.order_by().annotate(_audit_pk=Cast("pk", CharField())).values("_audit_pk")


def audit_entries_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """Audit entries the user may read: administrators, and a municipality's coordinator for its
    records, each entry only if the record it describes may be seen (audit_kinds). One query,
    however long the list."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    scope, restricted, unscoped, contained = audit_kinds()
    types = ContentType.objects.get_for_models(*scope, *restricted, *unscoped, *contained)
    if roles.is_admin:
        visible = ~Q(content_type_id__in=[types[m].pk for m in restricted])
    else:
        coordinated = [m for m, r in roles.municipal.items() if MunicipalRoleName.COORDINATOR in r]
        visible = Q(municipality_id__in=coordinated) & Q(
            content_type_id__in=[types[m].pk for m in scope]
        )
    for model, objects in restricted.items():
        kind = Q(content_type_id=types[model].pk)
        if roles.is_admin:
            visible |= kind & Q(object_id__in=_pk_texts(objects(user)))
            visible |= kind & ~Q(object_id__in=_pk_texts(model._base_manager.all()))
        elif model in _OF_NO_MUNICIPALITY:
            # a record of no municipality: the policy's rule alone decides
            visible |= kind & Q(object_id__in=_pk_texts(objects(user)))
        else:
            visible |= (
                kind
                & Q(municipality_id__in=coordinated)
                & Q(object_id__in=_pk_texts(objects(user)))
            )
    if not roles.is_admin:
        visible |= Q(content_type_id__in=[types[m].pk for m in contained]) & Q(
            container_id__in=workspaces_visible_to(user, Workspace.objects.all()).values("pk")
        )
    return queryset.filter(visible)


RULES = {AuditEntry: _audit_rule}
