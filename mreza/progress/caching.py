"""What the progress pages keep in the cache because it rarely changes, and when it is forgotten.

The registry's versioned cache (`registry.choices.cached`) holds each piece under a version of its
scope; a save or delete of a row the piece is made of bumps the scope (signals below), so every
worker sees the change at once. Bulk writes, which send no signal, call `changed()` themselves
(the scale data).

- AREAS: the names of framework areas (the workspaces' themes); frameworks are immutable once
  used, so this is forgotten only when a subcriterion is written.
- BASELINE: each member's consensus score in its workspace's area: follows the assessments,
  their consensus and learning profiles, and the workspaces and their members.
- PHASES: a workspace's phases and their time line (its home), drawn for the day: follows the
  phases and the workspace's dates.
- PUBLIC: the published workspaces of a municipality (its profile page, `sections.py`).
- FIGURES: what a workspace home's figures are read from (activity and meeting counts,
  indicators and their newest values: four queries), per workspace and day, under a
  generation of that workspace. Every audited write inside a workspace records an audit entry
  naming it (`AuditEntry.container_id`), and that entry's creation bumps the generation; the
  one write that records none (a meeting marked held, `services.meetings._mark_held`) bumps it
  itself. The rows also say when the next meeting begins: from then on they are read again
  ("meetings due" counts one more).
"""

from collections import namedtuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from mreza.assessment.models import Assessment, Consensus, LearningProfile, Subcriterion
from mreza.core.models import AuditEntry
from mreza.progress.models import Phase, Workspace, WorkspaceMember
from mreza.registry import choices

AREAS, BASELINE, PUBLIC = "progress-areas", "progress-baseline", "progress-workspaces"
PHASES = "progress-phases"
ALL = (AREAS, BASELINE, PHASES, PUBLIC)

# what area_name() reads of a subcriterion: a plain value, cheap to keep
Area = namedtuple("Area", "code title")


def changed(*scopes):
    """Forget the pieces of `scopes` (all of them when none is named)."""
    choices.changed(*(scopes or ALL))


def subcriteria(pairs):
    """{(framework id, code): Area} for the given (framework id, area code) pairs."""
    wanted = sorted({(f, c) for f, c in pairs if f and c})
    if not wanted:
        return {}

    def build():
        condition = Q(pk__in=[])
        for framework_id, code in wanted:
            condition |= Q(framework_id=framework_id, code=code)
        rows = Subcriterion.objects.filter(condition).values_list("framework_id", "code", "title")
        return {(f, code): Area(code, title) for f, code, title in rows}

    key = ";".join(f"{f}:{c}" for f, c in wanted)
    return choices.cached(AREAS, "areas", build, key)


def baseline(workspace, build):
    """`build()` ({municipality id: (score, period end)}) of a workspace, kept until an
    assessment, a consensus, a learning profile or the workspace's membership changes."""
    return choices.cached(
        BASELINE, "baseline", build, workspace.pk, workspace.framework_id, workspace.area
    )


def phases(workspace, today, build):
    """`build()` (the phases and the time line drawn for `today`) of a workspace, kept until a
    phase or the workspace changes."""
    return choices.cached(
        PHASES,
        "phases",
        build,
        workspace.pk,
        today.isoformat(),
        workspace.starts_on,
        workspace.ends_on,
    )


FIGURES_PREFIX = "mreza:progress:figures"


def _timeout():
    backend = settings.CACHES["default"]["BACKEND"]
    # a safety net for writes that bypass the audit trail; the per-process memory cache also
    # cannot see another process's bumps
    return 300 if backend.endswith("LocMemCache") else 3600


def _generation_key(workspace_id):
    return f"{FIGURES_PREFIX}:generation:{workspace_id}"


def home_figure_rows(workspace_id, today, now, build):
    """`build()` (views.progress.figure_rows of the one workspace) kept for the day, until a
    write inside the workspace or the start of its next meeting. Two cache round trips (the
    generation, then the rows) instead of four queries."""
    key = _generation_key(workspace_id)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, None)
        generation = cache.get(key) or 1
    rows_key = f"{FIGURES_PREFIX}:{workspace_id}:{generation}:{today.isoformat()}"
    hit = cache.get(rows_key)
    if hit is not None and (hit["next_start"] is None or now < hit["next_start"]):
        return hit
    rows = build()
    cache.set(rows_key, rows, _timeout())
    return rows


def _bump(workspace_id):
    key = _generation_key(workspace_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def workspace_changed(workspace_id):
    """Forget the workspace's figures now and again on commit (a page rendered meanwhile may
    have kept the rows as they were before the commit)."""
    _bump(workspace_id)
    transaction.on_commit(lambda: _bump(workspace_id))


def _on_audit_entry(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.container_id:
        workspace_changed(instance.container_id)


# which pieces a write of each model makes stale
_STALE = {
    Subcriterion: (AREAS,),
    Assessment: (BASELINE,),
    Consensus: (BASELINE,),
    LearningProfile: (BASELINE,),
    Workspace: (BASELINE, PHASES, PUBLIC),
    WorkspaceMember: (BASELINE, PUBLIC),
    Phase: (PHASES,),
}


def _on_change(sender, **kwargs):
    changed(*_STALE[sender])


def connect_signals():
    post_save.connect(_on_audit_entry, sender=AuditEntry, dispatch_uid="progress-cache-figures")
    for model in _STALE:
        name = model.__name__
        post_save.connect(_on_change, sender=model, dispatch_uid=f"progress-cache-{name}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"progress-cache-del-{name}")
