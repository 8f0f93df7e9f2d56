"""Demo data of step 3: phases, goals and indicators with a year of measured values.

Runs before the plan so the plan's activities can point at these goals. Fills only the
workspaces made in this run (ctx.created), so a re-run adds nothing twice. Texts in Serbian
Cyrillic (ijekavian), as the Bosnian-Herzegovinian networks write them.
"""

import datetime
from decimal import Decimal

from mreza.accounts.models import MunicipalRole
from mreza.core.roles import MunicipalRoleName
from mreza.progress.models import Goal, Indicator, Measurement, Workspace
from mreza.progress.services import goals as services
from mreza.progress.services import workspace_edit

PHASES = (
    ("Дијагноза и заједнички циљеви", 0.0, 0.15),
    ("Акциони план", 0.15, 0.3),
    ("Спровођење и учење", 0.3, 0.85),
    ("Вредновање и пренос праксе", 0.85, 1.0),
)

# key -> [(goal, description, [(indicator, unit, baseline, target, direction, scope)])]
GOALS = {
    "active": [
        (
            "Планско запошљавање и задржавање стручног кадра",
            "Свака општина има план кадрова за три године и прати одлазак запослених.",
            [
                ("Општине са усвојеним планом кадрова", "%", 17, 100, "increase", "network"),
                ("Стопа одласка запослених", "%", 9, 5, "decrease", "member"),
            ],
        ),
        (
            "Стручно усавршавање по плану обука",
            "Годишњи план обука израђен према потребама утврђеним у самопроцјени.",
            [("Запослени са бар једном обуком годишње", "%", 35, 75, "increase", "network")],
        ),
    ],
    "ending": [
        (
            "Бржи одговор на захтјеве грађана",
            "Рок одговора на захтјев скраћен у свим општинама мреже.",
            [("Просјечно вријеме одговора", "дана", 21, 8, "decrease", "member")],
        ),
        (
            "Редовно мјерење задовољства грађана",
            "Анкета задовољства сваке године, по истој методологији.",
            [("Задовољни грађани (анкета)", "%", 52, 70, "increase", "network")],
        ),
    ],
    "new": [
        (
            "Стратегија развоја праћена индикаторима",
            "Свака општина прати провођење стратегије годишњим извјештајем.",
            [("Општине са годишњим извјештајем о стратегији", "%", 20, 100, "increase", "network")],
        ),
    ],
    "partnership": [
        (
            "Пренос праксе управљања квалитетом",
            "Котор Варош уводи CAF уз менторство Бање Луке.",
            [("Проведене препоруке из самопроцјене", "%", 0, 60, "increase", "network")],
        ),
    ],
}

#: How the values move over a year of monthly measurements (share of the way to the target).
SHAPE = (0.0, 0.05, 0.1, 0.18, 0.22, 0.3, 0.36, 0.42, 0.5, 0.55, 0.61, 0.68)


def _value(baseline, target, share, wobble):
    value = baseline + (target - baseline) * share + wobble
    return Decimal(str(round(value, 1)))


def _contacts(workspace: Workspace):
    """Each registry member's contact person: its coordinator, else anyone with a role there."""
    for member in workspace.members.filter(
        municipality__isnull=False, contact_person__isnull=True
    ).select_related("municipality"):
        roles = MunicipalRole.objects.filter(municipality_id=member.municipality_id)
        role = roles.filter(role=MunicipalRoleName.COORDINATOR).first() or roles.first()
        if role is not None:
            workspace_edit.set_contact(member, {"contact_person": role.user})


def _phases(workspace: Workspace):
    if not (workspace.starts_on and workspace.ends_on) or workspace.phases.exists():
        return
    days = (workspace.ends_on - workspace.starts_on).days
    for name, start, end in PHASES:
        starts = workspace.starts_on + datetime.timedelta(days=round(days * start))
        ends = workspace.starts_on + datetime.timedelta(days=round(days * end) - (end < 1))
        workspace_edit.create_phase(workspace, {"name": name, "starts_on": starts, "ends_on": ends})


def _measurements(ctx, workspace, indicator, months, finished):
    """A monthly value (on the first working days) for the last `months` months, network-wide
    or per member; an ending network has come most of the way."""
    members = list(workspace.members.filter(municipality__isnull=False).order_by("id"))
    who = [None] if indicator.scope == Indicator.Scope.NETWORK else members
    baseline, target = float(indicator.baseline), float(indicator.target)
    recorder = workspace.coordinator
    rows = []
    for index, member in enumerate(who):
        for month in range(months):
            back = months - month
            day = ctx.today - datetime.timedelta(days=30 * back - 3)
            share = SHAPE[min(month, len(SHAPE) - 1)] * (1.35 if finished else 1.0)
            wobble = ((index * 7 + month * 3) % 5 - 2) * abs(target - baseline) / 60
            value = _value(baseline, target, min(share, 1.0), wobble)
            if indicator.unit == "%":
                value = max(Decimal(0), min(Decimal(100), value))
            rows.append(
                Measurement(
                    indicator=indicator,
                    member=member,
                    measured_on=day,
                    value=value,
                    source=(
                        "Евиденција кадровске службе"
                        if "запослен" in indicator.name.lower()
                        else "Регистар захтјева и анкета грађана"
                    ),
                    recorded_by=recorder,
                )
            )
    for row in rows:  # one by one: each value is an audited change like a user's
        services.record_measurement(
            indicator,
            {
                "member": row.member,
                "measured_on": row.measured_on,
                "value": row.value,
                "source": row.source,
            },
            recorder,
        )


def load(ctx):
    """Phases of the networks and the partnership; goals and indicators; a year of values for
    the active and the ending network (a few months for the partnership)."""
    for key in ("active", "new", "ending", "partnership"):
        if key not in ctx.created:
            continue
        workspace = ctx.workspaces[key]
        _phases(workspace)
        _contacts(workspace)
        if Goal.objects.filter(workspace=workspace).exists():
            continue
        months = {"active": 12, "ending": 12, "partnership": 3, "new": 0}[key]
        for title, description, indicators in GOALS[key]:
            goal = services.create_goal(workspace, {"title": title, "description": description})
            for name, unit, baseline, target, direction, scope in indicators:
                indicator = services.create_indicator(
                    goal,
                    {
                        "name": name,
                        "unit": unit,
                        "baseline": Decimal(baseline),
                        "target": Decimal(target),
                        "direction": direction,
                        "scope": scope,
                    },
                )
                if months:
                    _measurements(ctx, workspace, indicator, months, key == "ending")
