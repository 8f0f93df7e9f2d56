"""The access policy: the one place that decides who may see or change what.

Views never check roles themselves. They ask here, one way: `get_or_deny(user, perm, queryset, ...)`
when they look an object up (404 if it may not be seen, 403 if it may be seen but not acted on),
`require(user, perm, obj)` for a further decision on an object in hand, or on the platform when
`obj` is None (403), and `may()` for a flag in a template. Every decision is a named `Perm` with its
rule below; `core/tests/test_permission_tables.py` holds one persona table per object type.

Registry facts (names, populations, the map) are public; everything about people, history and a
municipality's own work is private to that municipality and the people it works with.

One package, one module per app's objects (`registry`, `assessment`, `networks`, `progress`,
`surveys`, `evaluation`, `audit`), each ending in `RULES = {Model: rule}`; `policy` merges them and
answers `may`. Everything a view may call is imported here, so views write `from mreza.core import
access` and never name a submodule.

Layering: this is the one package in `core` that knows every app (docs/ARCHITECTURE.md). It imports
their models at the top, which is safe because no `models.py` imports it: it is loaded only by
views, forms, middleware, context processors and the admin, after the app registry is ready
(`core/tests/test_layering.py` checks both). A new app adds its Perms in `base.py`, a module with
its rules and `RULES`, its entry in `policy._rules()` and its persona tables. Role names come from
`core.roles`, never string literals.
"""

from mreza.core.access.api import tokens_visible_to
from mreza.core.access.assessment import (
    assessments_led_by,
    assessments_visible_to,
    entries_visible_to,
    entry_visible,
    group_role,
    profiles_visible_to,
)
from mreza.core.access.audit import audit_entries_visible_to, audit_kinds, workspace_history
from mreza.core.access.base import (
    Perm,
    Roles,
    anonymous_visitor,
    coordinated_organisation_ids,
    managed_municipalities,
    roles_of,
)
from mreza.core.access.evaluation import EVALUATION_PATHS, evaluations_visible_to
from mreza.core.access.events import events_run_by, events_visible_to, organisations_for_events
from mreza.core.access.networks import (
    network_places_visible_to,
    networks_visible_to,
    organisations_coordinated_by,
    rounds_visible_to,
)
from mreza.core.access.policy import (
    coordinated_municipalities,
    get_or_deny,
    may,
    may_follow_changes,
    municipalities_to_accept_for,
    require,
)
from mreza.core.access.practices import (
    expert_municipality_ids,
    practices_to_review,
    practices_visible_to,
    published_practices,
)
from mreza.core.access.progress import (
    WORKSPACE_PATHS,
    plans_visible_to,
    runs_workspace,
    workspace_member_ids,
    workspace_parts_visible_to,
    workspaces_run_by,
    workspaces_visible_to,
)
from mreza.core.access.surveys import SURVEY_PATHS, surveys_visible_to

__all__ = [
    "EVALUATION_PATHS",
    "SURVEY_PATHS",
    "WORKSPACE_PATHS",
    "Perm",
    "Roles",
    "anonymous_visitor",
    "assessments_led_by",
    "assessments_visible_to",
    "audit_entries_visible_to",
    "audit_kinds",
    "coordinated_municipalities",
    "coordinated_organisation_ids",
    "entries_visible_to",
    "entry_visible",
    "evaluations_visible_to",
    "events_run_by",
    "events_visible_to",
    "expert_municipality_ids",
    "get_or_deny",
    "group_role",
    "managed_municipalities",
    "may",
    "may_follow_changes",
    "municipalities_to_accept_for",
    "network_places_visible_to",
    "networks_visible_to",
    "organisations_coordinated_by",
    "organisations_for_events",
    "plans_visible_to",
    "practices_to_review",
    "practices_visible_to",
    "profiles_visible_to",
    "published_practices",
    "require",
    "roles_of",
    "rounds_visible_to",
    "runs_workspace",
    "surveys_visible_to",
    "tokens_visible_to",
    "workspace_history",
    "workspace_member_ids",
    "workspace_parts_visible_to",
    "workspaces_run_by",
    "workspaces_visible_to",
]
