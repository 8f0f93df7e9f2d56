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
"""

from collections import namedtuple

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from mreza.assessment.models import Assessment, Consensus, LearningProfile, Subcriterion
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
    for model in _STALE:
        name = model.__name__
        post_save.connect(_on_change, sender=model, dispatch_uid=f"progress-cache-{name}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"progress-cache-del-{name}")
