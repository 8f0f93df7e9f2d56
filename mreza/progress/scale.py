"""Step 3 at scale for `generate_scale_data`: networks of ~8 neighbouring municipalities, each with
four phases, goals, indicators and a year of measured values, an action plan and a year of
monthly meetings.

Rows are bulk-created (no audit entries: synthetic data has no history). Reproducible from the seed.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from mreza.progress import caching
from mreza.progress.models import (
    Activity,
    Goal,
    Indicator,
    Measurement,
    Meeting,
    Phase,
    Workspace,
    WorkspaceMember,
)

BATCH = 2000
AREAS = ("2.1", "3.1", "3.3", "5.2", "6.1", "6.2", "9.1")
STATUSES = ("done", "done", "in_progress", "planned", "planned", "cancelled")


def remove(organisation_code):
    """Drop the synthetic workspaces of an earlier run (their members protect the
    municipalities)."""
    Workspace.objects.filter(organisation__code=organisation_code).delete()
    caching.changed()


PHASES = ("Diagnosis", "Action plan", "Implementation", "Evaluation")


def _phases(workspaces):
    """Four phases of equal length from each workspace's start to its end."""
    for workspace in workspaces:
        step = (workspace.ends_on - workspace.starts_on) / len(PHASES)
        for n, name in enumerate(PHASES):
            starts = workspace.starts_on + step * n
            ends = workspace.starts_on + step * (n + 1) - datetime.timedelta(days=1)
            yield Phase(
                workspace=workspace,
                name=name,
                starts_on=starts,
                ends_on=max(ends, starts),
                order=n,
            )


def generate(municipalities, organisation, framework, seed, network_size=8):
    """Workspaces for the municipalities (in groups of `network_size`, in the given order, which
    follows the regions); returns a dict of counts."""
    rng = random.Random(seed * 104729)  # noqa: S311 (reproducible synthetic data, no secret)
    today = timezone.localdate()
    groups = [
        municipalities[i : i + network_size] for i in range(0, len(municipalities), network_size)
    ]
    groups = [g for g in groups if len(g) >= 3]
    workspaces = Workspace.objects.bulk_create(
        (
            Workspace(
                kind=Workspace.Kind.NETWORK,
                organisation=organisation,
                framework=framework,
                area=rng.choice(AREAS),
                title=f"Network {index + 1} of {group[0].name}",
                starts_on=today - datetime.timedelta(days=rng.randint(30, 600)),
                ends_on=today + datetime.timedelta(days=rng.randint(30, 400)),
            )
            for index, group in enumerate(groups)
        ),
        batch_size=BATCH,
    )
    members = []
    for workspace, group in zip(workspaces, groups, strict=True):
        members.extend(
            WorkspaceMember(
                workspace=workspace,
                municipality=m,
                role=WorkspaceMember.Role.HOST if n == 0 else WorkspaceMember.Role.MEMBER,
                joined_on=workspace.starts_on,
            )
            for n, m in enumerate(group)
        )
    members = WorkspaceMember.objects.bulk_create(members, batch_size=BATCH)
    by_workspace = {}
    for member in members:
        by_workspace.setdefault(member.workspace_id, []).append(member)
    Phase.objects.bulk_create(_phases(workspaces), batch_size=BATCH)
    goals = Goal.objects.bulk_create(
        (Goal(workspace=w, title=f"Goal {g + 1}", order=g) for w in workspaces for g in range(2)),
        batch_size=BATCH,
    )
    indicators = Indicator.objects.bulk_create(
        (
            Indicator(
                goal=goal,
                name=f"Indicator {i + 1}",
                unit="%",
                baseline=Decimal(rng.randint(20, 50)),
                target=Decimal(rng.randint(60, 90)),
            )
            for goal in goals
            for i in range(2)
        ),
        batch_size=BATCH,
    )
    measurements = [
        Measurement(
            indicator=indicator,
            measured_on=today - datetime.timedelta(days=60 * k),
            value=Decimal(rng.randint(20, 90)),
            source="synthetic",
        )
        for indicator in indicators
        for k in range(6)
    ]
    Measurement.objects.bulk_create(measurements, batch_size=BATCH)
    activities, meetings = [], []
    goal_of = {}
    for goal in goals:
        goal_of.setdefault(goal.workspace_id, []).append(goal)
    for workspace in workspaces:
        people = by_workspace[workspace.pk]
        for a in range(20):
            starts = workspace.starts_on + datetime.timedelta(days=rng.randint(0, 300))
            status = rng.choice(STATUSES)
            activities.append(
                Activity(
                    workspace=workspace,
                    goal=rng.choice(goal_of[workspace.pk]),
                    title=f"Activity {a + 1}",
                    responsible_member=rng.choice(people),
                    starts_on=starts,
                    due_on=starts + datetime.timedelta(days=rng.randint(14, 120)),
                    status=status,
                    completed_on=starts + datetime.timedelta(days=10) if status == "done" else None,
                    cost=Decimal(rng.randint(0, 20000)),
                )
            )
        first = timezone.now() - datetime.timedelta(days=330)
        for k in range(12):
            starts_at = first + datetime.timedelta(days=30 * k)
            meetings.append(
                Meeting(
                    workspace=workspace,
                    title=f"Monthly meeting {k + 1}",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    host=people[k % len(people)],
                    status="held" if starts_at < timezone.now() else "scheduled",
                )
            )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    caching.changed()  # bulk_create sends no signal
    return {
        "workspaces": len(workspaces),
        "activities": len(activities),
        "meetings": len(meetings),
        "measurements": len(measurements),
    }
