"""Step 3 in the demo: networks at three stages, a partnership and two twinnings (one with a town
abroad), then each part fills them (plan, meetings, exchange, discussion). Safe to re-run: a
workspace that exists is left as it is.

Called by front's `load_demo` inside `acting_as(None, "load_demo")`.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from mreza.accounts.models import User
from mreza.assessment.models import Framework
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership, Response
from mreza.networks.services import confirm
from mreza.progress.demo import discussion, exchange, goals, meetings, plan
from mreza.progress.models import Workspace, WorkspaceMember
from mreza.registry.models import Municipality, Organisation

ROUND_TITLE = "Тематске мреже 2025–2027"

# (key, title, area, host, members, started how many days ago, runs for how many days)
NETWORKS = [
    (
        "active",
        "Управљање људским ресурсима у општинској управи",
        "3.1",
        "BA-BANJA-LUKA",
        ("BA-GRADISKA", "BA-LAKTASI", "BA-PRIJEDOR", "BA-DERVENTA", "BA-PRNJAVOR"),
        380,
        730,
    ),
    (
        "new",
        "Стратешко планирање и праћење развоја",
        "2.1",
        "BA-TREBINJE",
        ("BA-BILECA", "BA-GACKO", "BA-FOCA", "BA-PALE"),
        6,
        730,
    ),
    (
        "ending",
        "Задовољство грађана услугама",
        "6.1",
        "BA-DOBOJ",
        ("BA-TESLIC", "BA-MODRICA", "BA-ZVORNIK", "BA-SRBAC", "BA-CELINAC", "BA-BANJA-LUKA"),
        700,
        730,
    ),
]


@dataclass
class DemoContext:
    """What the parts get: the workspaces by key, the demo people by login, today."""

    workspaces: dict[str, Workspace]
    people: dict[str, User]
    today: datetime.date
    created: set[str] = field(default_factory=set)  # keys of workspaces made in this run


def load(stdout=None):
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@mreza.demo")}
    today = timezone.localdate()
    ctx = DemoContext(workspaces={}, people=people, today=today)
    _networks(ctx)
    _partnership(ctx)
    _twinnings(ctx)
    # each part fills only the workspaces made in this run, so a re-run adds nothing twice
    for part in (goals, plan, meetings, exchange, discussion):
        part.load(ctx)
    if stdout is not None:
        stdout.write(
            f"Demo workspaces: {Workspace.objects.count()} "
            f"({len(ctx.created)} new: {', '.join(sorted(ctx.created)) or 'none'})."
        )
    return ctx


def _round():
    organisation = Organisation.objects.get(code="SOGRS")
    round_ = GroupingRound.objects.filter(title=ROUND_TITLE, organisation=organisation).first()
    if round_ is None:
        round_ = GroupingRound.objects.create(
            organisation=organisation,
            framework=Framework.objects.get(code="caf2020"),
            title=ROUND_TITLE,
            areas=sorted({n[2] for n in NETWORKS} | {"5.2"}),
            params={"min_size": 3, "max_size": 8, "max_networks_per_municipality": 2},
            status=GroupingRound.Status.PUBLISHED,
            proposal={"networks": [], "partnerships": []},
            published_at=timezone.now(),
            created_by=User.objects.get(email="dana@mreza.demo"),
        )
    return round_


def _networks(ctx):
    round_ = _round()
    dana = ctx.people["dana"]
    for key, title, area, host_code, member_codes, ago, length in NETWORKS:
        network = Network.objects.filter(round=round_, title=title).first()
        if network is None:
            places = {
                m.code: m for m in Municipality.objects.filter(code__in=(host_code, *member_codes))
            }
            network = Network.objects.create(
                round=round_, area=area, host=places[host_code], title=title
            )
            for code in (host_code, *member_codes):
                NetworkMembership.objects.create(
                    network=network,
                    municipality=places[code],
                    status=Response.ACCEPTED,
                    responded_at=timezone.now(),
                )
            confirm(network, dana)  # opens the workspace (progress.apps)
            workspace = Workspace.objects.get(network=network)
            workspace.starts_on = ctx.today - datetime.timedelta(days=ago)
            workspace.ends_on = workspace.starts_on + datetime.timedelta(days=length)
            workspace.description = (
                "Мрежа општина које уче једна од друге: заједнички циљеви, акциони план и мјесечни "
                "састанци стручњака."
            )
            workspace.save(update_fields=["starts_on", "ends_on", "description"])
            workspace.members.update(joined_on=workspace.starts_on)
            ctx.created.add(key)
        ctx.workspaces[key] = Workspace.objects.get(network=network)


def _partnership(ctx):
    round_ = _round()
    mentor = Municipality.objects.get(code="BA-BANJA-LUKA")
    learner = Municipality.objects.get(code="BA-KOTOR-VAROS")
    partnership = Partnership.objects.filter(round=round_, mentor=mentor, learner=learner).first()
    if partnership is None:
        partnership = Partnership.objects.create(
            round=round_,
            area="5.2",
            mentor=mentor,
            learner=learner,
            mentor_status=Response.ACCEPTED,
            learner_status=Response.ACCEPTED,
        )
        confirm(partnership, ctx.people["dana"])
        workspace = Workspace.objects.get(partnership=partnership)
        workspace.starts_on = ctx.today - datetime.timedelta(days=120)
        workspace.ends_on = workspace.starts_on + datetime.timedelta(days=365)
        workspace.save(update_fields=["starts_on", "ends_on"])
        ctx.created.add("partnership")
    ctx.workspaces["partnership"] = Workspace.objects.get(partnership=partnership)


# (key, title, municipality, coordinator login, partner abroad, country, contact)
TWINNINGS = [
    (
        "twinning",
        "Бања Лука – Крањ: братимљење градова",
        "BA-BANJA-LUKA",
        "alice",
        "Kranj",
        "Slovenia",
        "Mestna občina Kranj, Slovenski trg 1, 4000 Kranj",
    ),
    (
        "twinning_bg",
        "Смолян – Ксанти: партньорство за туризъм и услуги",
        "BG-SML31",
        "maria",
        "Ξάνθη / Xanthi",
        "Greece",
        "Δήμος Ξάνθης, Xanthi 67100",
    ),
]


def _twinnings(ctx):
    for key, title, code, login, abroad, country, contact in TWINNINGS:
        workspace = Workspace.objects.filter(kind=Workspace.Kind.TWINNING, title=title).first()
        if workspace is None:
            workspace = Workspace.objects.create(
                kind=Workspace.Kind.TWINNING,
                title=title,
                coordinator=ctx.people[login],
                starts_on=ctx.today - datetime.timedelta(days=900),
            )
            WorkspaceMember.objects.create(
                workspace=workspace,
                municipality=Municipality.objects.get(code=code),
                role=WorkspaceMember.Role.PARTNER,
                contact_person=ctx.people[login],
                joined_on=workspace.starts_on,
            )
            WorkspaceMember.objects.create(
                workspace=workspace,
                foreign_name=abroad,
                foreign_country=country,
                foreign_contact=contact,
                role=WorkspaceMember.Role.PARTNER,
                joined_on=workspace.starts_on,
            )
            ctx.created.add(key)
        ctx.workspaces[key] = workspace
