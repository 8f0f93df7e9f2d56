"""The vocabulary of the policy: named permissions, a user's roles (loaded once per request)."""

from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Value

from mreza.core.roles import (
    MANAGING_ROLES,
    MFA_ROLES_MUNICIPAL,
    MFA_ROLES_ORGANISATION,
    OrganisationRoleName,
)
from mreza.registry.models import Membership

if TYPE_CHECKING:
    from django.db.models import Model

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
    # good practices (step 5): draft one for a municipality (on the municipality); change a draft,
    # submit it, update or withdraw a published one (on the practice); a network coordinator's
    # review and an expert's validation; offer help to adopt it, ask for it, record an adoption
    SUBMIT_PRACTICE = "submit_practice"
    EDIT_PRACTICE = "edit_practice"
    REVIEW_PRACTICE = "review_practice"
    VALIDATE_PRACTICE = "validate_practice"
    WITHDRAW_PRACTICE = "withdraw_practice"
    OFFER_TRANSFER = "offer_transfer"
    REQUEST_TRANSFER = "request_transfer"
    RECORD_REPLICATION = "record_replication"
    # events (step 5): create one (platform, or an organisation), run it (programme, registrations,
    # attendance, certificates), register for it
    CREATE_EVENT = "create_event"
    MANAGE_EVENT = "manage_event"
    REGISTER_FOR_EVENT = "register_for_event"
    # the API: a user's own access tokens
    MANAGE_TOKENS = "manage_tokens"


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
    def is_expert(self) -> bool:
        return any(OrganisationRoleName.EXPERT in r for r in self.organisation.values())

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


def coordinated_organisation_ids(roles):
    return [
        o for o, r in roles.organisation.items() if OrganisationRoleName.NETWORK_COORDINATOR in r
    ]


def managed_municipalities(user: "AnyUser") -> list[int]:
    """Municipalities this user coordinates or manages: whose assessments they follow and whose
    invitations they answer."""
    return [m for m, r in roles_of(user).municipal.items() if r & set(MANAGING_ROLES)]


def anonymous_visitor() -> AnonymousUser:
    """Anybody without an account: whom the public API and the open data ask the policy for, so
    that they answer everyone the same (cacheable, and no signed-in session widens it)."""
    return AnonymousUser()
