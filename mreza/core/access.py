"""The access policy: the one place that decides who may see or change what.

Views never check roles themselves. They ask here, one way: `get_or_deny(user, perm, queryset, ...)`
when they look an object up (404 if it may not be seen, 403 if it may be seen but not acted on),
`require(user, perm, obj)` for a further decision on an object in hand, or on the platform when
`obj` is None (403), and `may()` for a flag in a template. Every decision is a named `Perm` with its
rule below; `core/tests/test_permission_tables.py` holds one persona table per object type.

Registry facts (names, populations, the map) are public; everything about people, history and a
municipality's own work is private to that municipality and the people it works with.

Layering: this is the one module in `core` that knows every app (docs/ARCHITECTURE.md). It imports
their models at the top, which is safe because no `models.py` imports it: it is loaded only by
views, forms, middleware, context processors and the admin, after the app registry is ready
(`core/tests/test_layering.py` checks both). A new app adds its Perms, its rules in `_rules()` and
its rows in the persona table tests. Role names come from `core.roles`, never string literals.
"""

import functools
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404

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
from mreza.core.models import AuditEntry
from mreza.core.roles import (
    LEADING_GROUP_ROLES,
    MANAGING_ROLES,
    MFA_ROLES_MUNICIPAL,
    MFA_ROLES_ORGANISATION,
    MunicipalRoleName,
    OrganisationRoleName,
)
from mreza.evaluation.models import Certificate, Evaluation, GoalResult, MemberEvaluation
from mreza.networks.models import (
    GroupingRound,
    Network,
    NetworkMembership,
    Participant,
    Partnership,
)
from mreza.progress.models import (
    Activity,
    AgendaItem,
    Attendance,
    Commitment,
    Decision,
    Document,
    Goal,
    Indicator,
    Measurement,
    Meeting,
    MeetingSeries,
    MentoringPair,
    MentoringSession,
    Phase,
    Post,
    Registration,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
    Workspace,
    WorkspaceMember,
)
from mreza.registry.models import Country, Membership, Municipality, Organisation, Region
from mreza.surveys.models import Item, Response, Survey, Wave

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet

    from mreza.accounts.models import User

    AnyUser = User | AnonymousUser

M = TypeVar("M", bound="Model")


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
    # assessments: open one's own scoring pages / change one's own scores now
    ASSESS = "assess"
    EDIT_SCORES = "edit_scores"
    DOWNLOAD_EVIDENCE = "download_evidence"
    # organisations and the platform: open grouping rounds; grant the administrator role
    CREATE_ROUND = "create_round"
    GRANT_ADMIN = "grant_admin"
    ADMINISTER = "administer"
    # grouping rounds, networks, partnerships
    EDIT_ROUND = "edit_round"
    PUBLISH_ROUND = "publish_round"
    CONFIRM = "confirm"
    INVITE_TO_NETWORK = "invite_to_network"
    ANSWER = "answer"
    ANSWER_AS_LEARNER = "answer_as_learner"
    ANSWER_AS_MENTOR = "answer_as_mentor"
    # workspaces (step 3): see the plan and progress (public once published); run the workspace
    # (goals, phases, meetings, attendance, minutes, publishing); add to it (activities, values,
    # documents, messages, visits, registrations); start a twinning for a municipality
    VIEW_PLAN = "view_plan"
    MANAGE_WORKSPACE = "manage_workspace"
    CONTRIBUTE = "contribute"
    CREATE_TWINNING = "create_twinning"
    # the platform: make a network's workspace by hand (without a grouping round)
    CREATE_NETWORK = "create_network"
    # citizen surveys (step 4): build and run a municipality's surveys (also on the municipality:
    # start one); type in paper questionnaires; download the anonymous responses; answer an open
    # wave (anyone, no account)
    MANAGE_SURVEY = "manage_survey"
    ENTER_RESPONSES = "enter_responses"
    EXPORT_RESPONSES = "export_responses"
    RESPOND = "respond"
    # self-evaluation (step 4): open, close, publish an evaluation and issue its certificates; fill
    # in one member's part of it
    MANAGE_EVALUATION = "manage_evaluation"
    EVALUATE = "evaluate"


class Roles:
    """A user's roles, loaded once per request (one query; the members of coordinated
    organisations on first use)."""

    def __init__(self, user: "AnyUser") -> None:
        self.municipal: dict[int, set[str]] = {}
        self.organisation: dict[int, set[str]] = {}
        self._coordinated_ids: set[int] | None = None
        self.is_admin = bool(user.is_authenticated and user.is_superuser)
        if not user.is_authenticated:
            return
        # both kinds of roles in one round trip (every signed-in page asks)
        municipal = user.municipal_roles.order_by().values_list(
            "municipality_id", "role", Value("m", output_field=CharField())
        )
        organisational = user.organisation_roles.order_by().values_list(
            "organisation_id", "role", Value("o", output_field=CharField())
        )
        for place_id, role, kind in municipal.union(organisational, all=True):
            held = self.municipal if kind == "m" else self.organisation
            held.setdefault(place_id, set()).add(role)
        if any(
            OrganisationRoleName.PLATFORM_ADMIN in roles for roles in self.organisation.values()
        ):
            self.is_admin = True

    @property
    def coordinated_municipality_ids(self) -> set[int]:
        """Members of the organisations the user coordinates networks for: loaded when first
        asked (an association may count thousands; most pages never ask)."""
        if self._coordinated_ids is None:
            coordinated = [
                o
                for o, roles in self.organisation.items()
                if OrganisationRoleName.NETWORK_COORDINATOR in roles
            ]
            self._coordinated_ids = (
                set(
                    Membership.objects.filter(organisation_id__in=coordinated).values_list(
                        "municipality_id", flat=True
                    )
                )
                if coordinated
                else set()
            )
        return self._coordinated_ids

    def in_municipality(self, municipality_id: int, *roles: str) -> bool:
        held = self.municipal.get(municipality_id, set())
        return bool(held & set(roles)) if roles else bool(held)

    def in_organisation(self, organisation_id: int, *roles: str) -> bool:
        held = self.organisation.get(organisation_id, set())
        return bool(held & set(roles)) if roles else bool(held)

    @property
    def needs_mfa(self) -> bool:
        return (
            self.is_admin
            or any(r & MFA_ROLES_MUNICIPAL for r in self.municipal.values())
            or any(r & MFA_ROLES_ORGANISATION for r in self.organisation.values())
        )

    @property
    def is_network_coordinator(self) -> bool:
        return any(
            OrganisationRoleName.NETWORK_COORDINATOR in r for r in self.organisation.values()
        )


def roles_of(user: "AnyUser") -> Roles:
    cached = getattr(user, "_mreza_roles", None)
    if cached is None:
        cached = Roles(user)
        if user.is_authenticated:
            user._mreza_roles = cached  # type: ignore[attr-defined]  # the per-request cache
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
        return roles.in_municipality(municipality.pk, MunicipalRoleName.COORDINATOR)
    if perm in (Perm.CREATE_TWINNING, Perm.MANAGE_SURVEY):
        return roles.in_municipality(municipality.pk, *MANAGING_ROLES)
    return False


def _may_invite_first_coordinator(roles, municipality):
    """A network coordinator may invite the first coordinator of a municipality that has none, when
    it is a member of their organisation or takes part in one of its grouping rounds
    (administrators: any)."""
    if MunicipalRole.objects.filter(
        municipality_id=municipality.pk, role=MunicipalRoleName.COORDINATOR
    ).exists():
        return False
    if roles.is_admin:
        return True
    organisations = _coordinated_organisation_ids(roles)
    if not organisations:
        return False
    if municipality.pk in roles.coordinated_municipality_ids:
        return True
    return Participant.objects.filter(
        round__organisation_id__in=organisations, municipality_id=municipality.pk
    ).exists()


def _organisation_rule(user, perm, organisation):
    if perm == Perm.VIEW:
        return True
    roles = roles_of(user)
    if perm == Perm.CREATE_ROUND:
        # the platform's own organisation coordinates no municipalities
        return organisation.kind != "platform" and (
            roles.is_admin
            or roles.in_organisation(organisation.pk, OrganisationRoleName.NETWORK_COORDINATOR)
        )
    if perm == Perm.GRANT_ADMIN:
        return roles.is_admin
    if roles.is_admin:
        return True
    if perm == Perm.VIEW_PEOPLE:
        return roles.in_organisation(organisation.pk)
    if perm == Perm.MANAGE_PEOPLE:
        return roles.in_organisation(organisation.pk, OrganisationRoleName.NETWORK_COORDINATOR)
    return False


def _audit_rule(user, perm, entry):
    """An audit entry follows the policy of the record it describes (see
    audit_entries_visible_to)."""
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


ROUND_PERMS = (Perm.VIEW, Perm.EDIT_ROUND, Perm.PUBLISH_ROUND)


def _round_rule(user, perm, round_):
    """Grouping rounds belong to the coordinating organisation; a municipality sees only its own
    part, through its invitations, never the round. Its coordinators (and administrators) edit and
    publish."""
    if perm not in ROUND_PERMS:
        return False
    roles = roles_of(user)
    return roles.is_admin or roles.in_organisation(
        round_.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
    )


def _network_rule(user, perm, network):
    """A network: its round's coordinators confirm it and invite more members (CONFIRM,
    INVITE_TO_NETWORK, CHANGE); the municipalities in it see it."""
    roles = roles_of(user)
    if roles.is_admin or roles.in_organisation(
        network.round.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
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


def _membership_rule(user, perm, membership):
    """A network place: seen by its municipality; answered (ANSWER) by its coordinator or
    management."""
    roles = roles_of(user)
    if perm == Perm.VIEW:
        return roles.is_admin or roles.in_municipality(membership.municipality_id)
    if perm == Perm.ANSWER:
        return roles.in_municipality(membership.municipality_id, *MANAGING_ROLES)
    return False


def _partnership_rule(user, perm, partnership):
    """A mentoring pair: seen by both municipalities and the round's coordinators; each side
    answered by that municipality's coordinator or management; confirmed by the round's
    coordinators."""
    roles = roles_of(user)
    sides = (partnership.learner_id, partnership.mentor_id)
    coordinates = roles.is_admin or roles.in_organisation(
        partnership.round.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
    )
    if perm == Perm.VIEW:
        return coordinates or any(roles.in_municipality(m) for m in sides)
    if perm == Perm.ANSWER_AS_LEARNER:
        return roles.in_municipality(partnership.learner_id, *MANAGING_ROLES)
    if perm == Perm.ANSWER_AS_MENTOR:
        return roles.in_municipality(partnership.mentor_id, *MANAGING_ROLES)
    if perm == Perm.CONFIRM:
        return coordinates
    return False


WORKSPACE_PERMS = (Perm.VIEW, Perm.VIEW_PLAN, Perm.MANAGE_WORKSPACE, Perm.CONTRIBUTE)


def workspace_member_ids(workspace):
    """The registry municipalities in a workspace (one query, cached on the workspace)."""
    cached = workspace.__dict__.get("_member_municipality_ids")
    if cached is None:
        cached = workspace.__dict__["_member_municipality_ids"] = set(
            workspace.members.filter(municipality__isnull=False, left_on__isnull=True).values_list(
                "municipality_id", flat=True
            )
        )
    return cached


def _runs_workspace(roles, user, workspace):
    """Who runs a workspace: the coordinators of its organisation and its named coordinator; a
    twinning (no organisation) is run by its municipalities' coordinators and management."""
    if roles.is_admin or (user.is_authenticated and workspace.coordinator_id == user.pk):
        return True
    if workspace.organisation_id is not None:
        return roles.in_organisation(
            workspace.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
        )
    return any(roles.in_municipality(m, *MANAGING_ROLES) for m in workspace_member_ids(workspace))


def _workspace_rule(user, perm, workspace):
    """A workspace is private to its members' people and whoever runs it; once published, its plan
    and progress pages (VIEW_PLAN) are public. Every user of a member municipality contributes."""
    if perm not in WORKSPACE_PERMS:
        return False
    if perm == Perm.VIEW_PLAN and workspace.is_published:
        return True
    roles = roles_of(user)
    if _runs_workspace(roles, user, workspace):
        return True
    if perm == Perm.MANAGE_WORKSPACE:
        return False
    return any(roles.in_municipality(m) for m in workspace_member_ids(workspace))


def _workspace_of(obj):
    """The workspace a part of a workspace belongs to (an activity, a meeting's agenda item...)."""
    for path in WORKSPACE_PATHS[type(obj)].split("__"):
        obj = getattr(obj, path)
    return obj


def _workspace_part_rule(user, perm, obj):
    """Everything inside a workspace follows the workspace's rule."""
    return _workspace_rule(user, perm, _workspace_of(obj))


# How each part of a workspace reaches it (for the rule above and the audit trail's querysets).
WORKSPACE_PATHS: "dict[type[Model], str]" = {
    WorkspaceMember: "workspace",
    Phase: "workspace",
    Goal: "workspace",
    Indicator: "goal__workspace",
    Measurement: "indicator__goal__workspace",
    Activity: "workspace",
    Commitment: "workspace",
    MeetingSeries: "workspace",
    Meeting: "workspace",
    AgendaItem: "meeting__workspace",
    Registration: "meeting__workspace",
    Attendance: "meeting__workspace",
    Decision: "meeting__workspace",
    Visit: "workspace",
    TwinningAgreement: "workspace",
    StaffExchange: "workspace",
    MentoringPair: "workspace",
    MentoringSession: "pair__workspace",
    TransferredPractice: "workspace",
    Document: "workspace",
    Post: "workspace",
}


def workspaces_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The workspaces whose private pages the user may open (the same rule as Perm.VIEW)."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(coordinator_id=user.pk)
        | Q(organisation_id__in=_coordinated_organisation_ids(roles))
        | Q(
            pk__in=WorkspaceMember.objects.filter(
                municipality_id__in=list(roles.municipal), left_on__isnull=True
            ).values("workspace_id")
        )
    )


def workspaces_run_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The workspaces the user runs (the rule of MANAGE_WORKSPACE, as a queryset): named
    coordinator, network coordinator of the organisation, or — a twinning, which has no
    organisation — coordinator or management of a member municipality."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(coordinator_id=user.pk)
        | Q(organisation_id__in=_coordinated_organisation_ids(roles))
        | Q(
            organisation__isnull=True,
            pk__in=WorkspaceMember.objects.filter(
                municipality_id__in=managed_municipalities(user), left_on__isnull=True
            ).values("workspace_id"),
        )
    )


def workspace_parts_visible_to(user: "AnyUser", model: type[M]) -> "QuerySet[M]":
    """The rows of a workspace part (activities, meetings...) in workspaces the user may see."""
    path = WORKSPACE_PATHS[model]
    visible = workspaces_visible_to(user, Workspace.objects.all()).values("pk")
    return model._default_manager.filter(**{f"{path}__in": visible})


# --- Citizen surveys (step 4) ---

SURVEY_PERMS = (
    Perm.VIEW,
    Perm.MANAGE_SURVEY,
    Perm.ENTER_RESPONSES,
    Perm.EXPORT_RESPONSES,
)


def _survey_rule(user, perm, survey):
    """A survey and its results are seen by the municipality's people, by whoever runs the
    workspace it measures, and by anybody once its results are public (aggregates only, small
    groups suppressed). Its coordinator and management build and run it and download the anonymous
    responses; every user of the municipality types in paper questionnaires."""
    if perm not in SURVEY_PERMS:
        return False
    roles = roles_of(user)
    if perm == Perm.VIEW and survey.results_public:
        return True
    if roles.is_admin:
        return True
    municipality_id = survey.municipality_id
    if perm in (Perm.MANAGE_SURVEY, Perm.EXPORT_RESPONSES):
        return roles.in_municipality(municipality_id, *MANAGING_ROLES)
    if roles.in_municipality(municipality_id):
        return True
    return (
        perm == Perm.VIEW
        and survey.workspace_id is not None
        and _runs_workspace(roles, user, survey.workspace)
    )


def _wave_rule(user, perm, wave):
    """Anybody may answer an open wave (RESPOND: the public link needs no account); everything else
    follows the survey."""
    if perm == Perm.RESPOND:
        return wave.status == Wave.Status.OPEN
    return _survey_rule(user, perm, wave.survey)


def _survey_part_rule(user, perm, obj):
    for path in SURVEY_PATHS[type(obj)].split("__"):
        obj = getattr(obj, path)
    return _survey_rule(user, perm, obj)


SURVEY_PATHS: "dict[type[Model], str]" = {Item: "survey", Response: "wave__survey"}


def surveys_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The surveys whose pages the user may open (the rule of Perm.VIEW, as a queryset)."""
    visible = Q(results_public=True)
    if user.is_authenticated:
        roles = roles_of(user)
        if roles.is_admin:
            return queryset
        visible |= Q(municipality_id__in=list(roles.municipal)) | Q(
            workspace__in=workspaces_run_by(user, Workspace.objects.all())
        )
    return queryset.filter(visible)


# --- Self-evaluation and recognition (step 4) ---


def _evaluation_rule(user, perm, evaluation):
    """An evaluation is seen by whoever may see its workspace, and by anybody once its report is
    published (members' parts only once submitted); whoever runs the workspace runs it."""
    if perm == Perm.VIEW:
        return evaluation.is_published or _workspace_rule(user, Perm.VIEW, evaluation.workspace)
    if perm == Perm.MANAGE_EVALUATION:
        return _workspace_rule(user, Perm.MANAGE_WORKSPACE, evaluation.workspace)
    return False


def _member_evaluation_rule(user, perm, part):
    """A member's part: filled in (EVALUATE) while the evaluation is open by the member
    municipality's coordinator and management, or by whoever runs the workspace."""
    evaluation = part.evaluation
    if perm == Perm.VIEW:
        if evaluation.is_published and part.submitted_at is not None:
            return True
        return _workspace_rule(user, Perm.VIEW, evaluation.workspace)
    if perm == Perm.EVALUATE:
        if evaluation.status != Evaluation.Status.OPEN:
            return False
        roles = roles_of(user)
        municipality_id = part.member.municipality_id
        return (
            municipality_id is not None and roles.in_municipality(municipality_id, *MANAGING_ROLES)
        ) or _runs_workspace(roles, user, evaluation.workspace)
    return _evaluation_rule(user, perm, evaluation)


def _goal_result_rule(user, perm, result):
    return _member_evaluation_rule(user, perm, result.member_evaluation)


def _certificate_rule(user, perm, certificate):
    """A certificate is seen by whoever may see its evaluation and by its municipality's people;
    issued and revoked by whoever runs the evaluation. Anybody checks one by its code on the
    verification page, which shows only what the certificate states."""
    if perm == Perm.VIEW and roles_of(user).in_municipality(certificate.municipality_id):
        return True
    return _evaluation_rule(user, perm, certificate.evaluation)


# How each part of an evaluation reaches its workspace (audit trail: "contained" in it).
EVALUATION_PATHS: "dict[type[Model], str]" = {
    Evaluation: "workspace",
    MemberEvaluation: "evaluation__workspace",
    GoalResult: "member_evaluation__evaluation__workspace",
    Certificate: "evaluation__workspace",
}


def evaluations_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The evaluations the user may open: published ones, and those of workspaces they may see."""
    return queryset.filter(
        Q(is_published=True) | Q(workspace__in=workspaces_visible_to(user, Workspace.objects.all()))
    )


def _platform_rule(user, perm, _obj):
    """Permissions on the platform as a whole (`may(user, perm)` without an object)."""
    roles = roles_of(user)
    if perm == Perm.ADMINISTER:
        return roles.is_admin
    if perm in (Perm.CREATE_ROUND, Perm.CREATE_NETWORK):
        # the round list and "new round", and a network made by hand: for whoever may open a
        # round for some organisation
        return organisations_coordinated_by(
            user, Organisation.objects.exclude(kind="platform")
        ).exists()
    return False


@functools.cache
def _rules():
    return {
        Municipality: _municipality_rule,
        Organisation: _organisation_rule,
        AuditEntry: _audit_rule,
        Assessment: _assessment_rule,
        LearningProfile: _profile_rule,
        GroupingRound: _round_rule,
        Network: _network_rule,
        NetworkMembership: _membership_rule,
        Partnership: _partnership_rule,
        Entry: _entry_rule,
        EvidenceFile: _evidence_rule,
        Workspace: _workspace_rule,
        **dict.fromkeys(WORKSPACE_PATHS, _workspace_part_rule),
        Survey: _survey_rule,
        Wave: _wave_rule,
        **dict.fromkeys(SURVEY_PATHS, _survey_part_rule),
        Evaluation: _evaluation_rule,
        MemberEvaluation: _member_evaluation_rule,
        GoalResult: _goal_result_rule,
        Certificate: _certificate_rule,
        type(None): _platform_rule,
    }


def may(user: "AnyUser", perm: Perm | str, obj: object = None) -> bool:
    """Whether `user` may do `perm` on `obj` (on the platform as a whole when `obj` is None)."""
    rule = _rules().get(type(obj))
    if rule is None:
        # Private by default: an object type without a rule is visible to administrators only.
        return roles_of(user).is_admin
    return rule(user, Perm(perm), obj)


def get_or_deny(user: "AnyUser", perm: Perm, queryset: "QuerySet[M]", **lookup: Any) -> M:
    """The object, or 404 if the user may not even see it, or 403 if they may see but not do
    `perm`."""
    obj = get_object_or_404(queryset, **lookup)
    if not may(user, Perm.VIEW, obj):
        raise Http404
    if perm != Perm.VIEW and not may(user, perm, obj):
        raise PermissionDenied
    return obj


def require(user: "AnyUser", perm: Perm, obj: object = None) -> None:
    """403 unless `user` may do `perm` on `obj` (already in hand, or the platform when None). Views
    use `get_or_deny` when they look an object up, `require` for a further decision, `may` for a
    flag."""
    if not may(user, perm, obj):
        raise PermissionDenied


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
    return entry.assessor_id in submitted_by and may(user, Perm.MANAGE, assessment)


def _coordinated_organisation_ids(roles):
    return [
        o for o, r in roles.organisation.items() if OrganisationRoleName.NETWORK_COORDINATOR in r
    ]


def rounds_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(organisation_id__in=_coordinated_organisation_ids(roles))


def organisations_coordinated_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """Organisations for which the user may open grouping rounds (administrators: any)."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(pk__in=_coordinated_organisation_ids(roles))


def managed_municipalities(user: "AnyUser") -> list[int]:
    """Municipalities this user coordinates or manages: whose assessments they follow and whose
    invitations they answer."""
    return [m for m, r in roles_of(user).municipal.items() if r & set(MANAGING_ROLES)]


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
    only.
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
    }
    restricted = {
        Entry: lambda user: entries_visible_to(user, Entry.objects.all()),
        EvidenceFile: lambda user: EvidenceFile.objects.filter(
            entry__in=entries_visible_to(user, Entry.objects.all())
        ),
    }
    unscoped = {Country, Region, Organisation, Framework, OrganisationRole, GroupingRound, Network}
    return scope, restricted, unscoped, {Workspace, *WORKSPACE_PATHS, *EVALUATION_PATHS}


def workspace_history(user: "AnyUser", workspace: Workspace) -> "QuerySet[AuditEntry]":
    """The audit trail of one workspace and everything in it, for whoever may see the workspace."""
    if not may(user, Perm.VIEW, workspace):
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


# --- The dashboard's questions (front.views.dashboard asks these; it decides nothing itself) ---


def coordinated_municipalities(user: "AnyUser") -> list[int]:
    """Municipalities whose coordinator the user is: their invitations, people and history."""
    return [m for m, r in roles_of(user).municipal.items() if MunicipalRoleName.COORDINATOR in r]


def municipalities_to_accept_for(user: "AnyUser") -> list[int]:
    """Municipalities whose closed self-assessments the user accepts (their management)."""
    return [m for m, r in roles_of(user).municipal.items() if MunicipalRoleName.MANAGEMENT in r]


def may_follow_changes(user: "AnyUser") -> bool:
    """Whether the dashboard shows the recent changes: coordinators (their municipalities) and
    administrators (audit_entries_visible_to narrows the list)."""
    roles = roles_of(user)
    return roles.is_admin or bool(coordinated_municipalities(user))


def assessments_led_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """Assessments the user takes forward: those of the municipalities they coordinate or manage,
    and those whose group they lead or administer."""
    return queryset.filter(
        Q(municipality_id__in=managed_municipalities(user))
        | Q(members__user=user, members__role__in=LEADING_GROUP_ROLES)
    ).distinct()
