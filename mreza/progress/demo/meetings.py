"""Demo data of step 3: the meetings.

"active": a year of monthly meetings (held, with agenda, attendance, minutes and one or two
decisions each that became follow-up actions), then the coming ones with registrations; "ending":
the same for its last year and one final meeting still to come; "new": a monthly series about to
start; the partnership: a series of working meetings; the twinnings: a yearly meeting of the
partners (one held, one to come). Serbian Cyrillic (ijekavian) for the Bosnian workspaces,
Bulgarian for Smolyan – Xanthi. Only the workspaces made in this run (`ctx.created`) are filled.
No invitations are sent (the demo has nobody to mail).
"""

import datetime

from django.utils import timezone

from mreza.progress.models import Activity, Attendance, Meeting
from mreza.progress.services import meetings as services

TOPICS = [
    "пријем у радни однос и приправници",
    "годишње оцјењивање запослених",
    "оквир компетенција",
    "стручно усавршавање",
    "електронска евиденција кадрова",
    "задовољство запослених",
    "менторство за новозапослене",
    "систематизација радних мјеста",
    "интервјуи засновани на компетенцијама",
    "развојни разговори",
    "приправнички програм",
    "привлачење младих кадрова",
]

DECISIONS = [
    "Припремити нацрт заједничког упутства за годишње оцјењивање запослених.",
    "Прикупити податке о флуктуацији кадрова за показатељ мреже до наредног састанка.",
    "Организовати дводневну обуку за кадровске службе општина чланица.",
    "Израдити преглед добрих пракси у пријему приправника и подијелити га члановима.",
    "Припремити извјештај о напретку мреже за Савез општина и градова.",
    "Договорити студијску посјету општини домаћину наредног састанка.",
    "Усагласити образац плана стручног усавршавања за све чланице.",
    "Предложити измјене правилника о систематизацији на основу анализе стања.",
]

MINUTES = (
    "Састанку су присуствовали представници општина чланица.\n\n"
    "1. Преглед извршења акционог плана: координатор је представио стање активности; "
    "кашњења су образложена.\n"
    "2. Размјена искустава ({topic}): домаћин је представио своју праксу, чланови су "
    "поставили питања и упоредили своја рјешења.\n"
    "3. Наредни кораци: договорени су задаци и рокови (види одлуке).\n\n"
    "Сљедећи састанак одржава се према плану серије."
)

ONLINE = "https://meet.jit.si/mreza-{slug}"


def load(ctx):
    """Fill the workspaces in ctx.created (see mreza/progress/demo/__init__.py)."""
    for key, fill in (
        ("active", _active),
        ("ending", _ending),
        ("new", _new),
        ("partnership", _partnership),
        ("twinning", _twinning),
        ("twinning_bg", _twinning_bg),
    ):
        if key in ctx.created:
            fill(ctx, ctx.workspaces[key])


def _first_day(today, months_back, weekday=1, week=1):
    """The `week`-th `weekday` of the month `months_back` months before today's."""
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    first = datetime.date(year, month + 1, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (week - 1))


def _people(ctx, *logins):
    return [ctx.people[login] for login in logins if login in ctx.people]


def _hold(meeting, index, people, owners, topic, member_of_owner, today):
    """Agenda, attendance, minutes and decisions of a meeting that took place."""
    for title in (
        "Преглед извршења акционог плана",
        f"Размјена искустава: {topic}",
        "Наредни кораци и задужења",
    ):
        services.add_agenda_item(meeting, title)
    statuses = [Attendance.Status.PRESENT, Attendance.Status.PRESENT, Attendance.Status.EXCUSED]
    services.record_attendance(
        meeting,
        {
            person.pk: statuses[(index + n) % len(statuses)]
            if (index + n) % 5
            else Attendance.Status.ABSENT
            for n, person in enumerate(people)
        },
    )
    services.save_minutes(meeting, MINUTES.format(topic=topic), meeting.version)
    held_on = timezone.localtime(meeting.starts_at).date()
    for n in range(1 + index % 2):
        owner = owners[(index + n) % len(owners)]
        text = DECISIONS[(index * 2 + n) % len(DECISIONS)]
        decision = services.add_decision(
            meeting,
            text=text,
            member=member_of_owner,
            person=owner,
            due_on=held_on + datetime.timedelta(days=30 + 15 * n),
        )
        activity = Activity.objects.get(decision=decision)
        due = activity.due_on
        # follow-ups of older meetings are done; the latest ones are under way
        if due < today - datetime.timedelta(days=10):
            activity.status = Activity.Status.DONE
            activity.completed_on = due - datetime.timedelta(days=3)
        elif activity.starts_on <= today:
            activity.status = Activity.Status.IN_PROGRESS
        else:
            continue
        activity.save(update_fields=["status", "completed_on"])


def _series(ctx, workspace, *, title, first_day, count, slug, place=""):
    return services.schedule(
        workspace,
        title=title,
        first_day=first_day,
        starts=datetime.time(10, 0),
        ends=datetime.time(13, 0),
        count=count,
        rotate_host=True,
        location=place,
        online_url=ONLINE.format(slug=slug),
        invite=False,
        allow_past=True,
    )


def _fill_series(ctx, workspace, meetings, *, people, owners, registering):
    now = timezone.now()
    banja_luka = workspace.members.filter(municipality__code="BA-BANJA-LUKA").first()
    for index, meeting in enumerate(meetings):
        if meeting.ends_at <= now:
            _hold(
                meeting,
                index,
                people,
                owners,
                TOPICS[index % len(TOPICS)],
                banja_luka,
                ctx.today,
            )
        else:
            services.add_agenda_item(meeting, "Преглед извршења акционог плана")
            services.add_agenda_item(meeting, f"Размјена искустава: {TOPICS[index % len(TOPICS)]}")
            for person in registering[: 1 + index % len(registering)]:
                services.register(meeting, person)


def _active(ctx, workspace):
    people = _people(ctx, "alice", "bob", "olga", "mara", "tomo")
    meetings = _series(
        ctx,
        workspace,
        title="Мјесечни састанак мреже за људске ресурсе",
        first_day=_first_day(ctx.today, 12),
        count=15,
        slug="ljudski-resursi",
    )
    _fill_series(
        ctx,
        workspace,
        meetings,
        people=people,
        owners=_people(ctx, "alice", "olga", "mara"),
        registering=_people(ctx, "alice", "olga", "bob"),
    )


def _ending(ctx, workspace):
    meetings = _series(
        ctx,
        workspace,
        title="Мјесечни састанак мреже: задовољство грађана",
        first_day=_first_day(ctx.today, 11, weekday=3, week=1),
        count=12,
        slug="zadovoljstvo-gradjana",
    )
    _fill_series(
        ctx,
        workspace,
        meetings,
        people=_people(ctx, "alice", "mara", "olga"),
        owners=_people(ctx, "mara", "alice"),
        registering=_people(ctx, "alice", "mara"),
    )


def _new(ctx, workspace):
    next_month = _first_day(ctx.today, -1, weekday=2, week=2)
    meetings = _series(
        ctx,
        workspace,
        title="Мјесечни састанак мреже за стратешко планирање",
        first_day=next_month,
        count=6,
        slug="strateski-plan",
        place="Сала скупштине",
    )
    services.add_agenda_item(meetings[0], "Упознавање чланица и избор приоритета")
    services.add_agenda_item(meetings[0], "Нацрт циљева и показатеља мреже")
    services.add_agenda_item(meetings[0], "Ритам рада и домаћини састанака")


def _partnership(ctx, workspace):
    meetings = _series(
        ctx,
        workspace,
        title="Радни састанак партнерства",
        first_day=_first_day(ctx.today, 3, weekday=0, week=3),
        count=6,
        slug="partnerstvo",
    )
    _fill_series(
        ctx,
        workspace,
        meetings,
        people=_people(ctx, "alice", "mara"),
        owners=_people(ctx, "alice"),
        registering=_people(ctx, "alice"),
    )


def _yearly(workspace, *, title, agenda, minutes, decision, owner, member, today, slug):
    """A partners' meeting held about ten months ago and the next one in two months."""
    held, coming = (
        services.schedule(
            workspace,
            title=title,
            first_day=today + datetime.timedelta(days=days),
            starts=datetime.time(11, 0),
            ends=datetime.time(15, 0),
            host=host,
            online_url=ONLINE.format(slug=slug),
            invite=False,
            allow_past=True,
        )[0]
        for days, host in ((-300, member), (65, None))
    )
    for item in agenda:
        services.add_agenda_item(held, item)
        services.add_agenda_item(coming, item)
    if owner is not None:
        services.record_attendance(held, {owner.pk: Attendance.Status.PRESENT})
    services.save_minutes(held, minutes, held.version)
    if owner is not None:
        services.add_decision(
            held,
            text=decision,
            member=member,
            person=owner,
            due_on=timezone.localtime(held.starts_at).date() + datetime.timedelta(days=120),
        )
        services.register(coming, owner)
    if held.status != Meeting.Status.HELD:  # no people recorded: it took place all the same
        Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)


def _twinning(ctx, workspace):
    member = workspace.members.filter(municipality__isnull=False).first()
    _yearly(
        workspace,
        title="Годишњи састанак партнера Бања Лука – Крањ",
        agenda=[
            "Извјештај о размјени запослених",
            "Пренесене праксе и њихови резултати",
            "План рада за наредну годину",
        ],
        minutes=(
            "Партнери су прегледали размјену запослених и пренесене праксе. Усвојен је план рада "
            "за наредну годину; договорена је посјета делегације Крања у прољеће."
        ),
        decision="Припремити програм посјете делегације Крања и позив за размјену стручњака.",
        owner=ctx.people.get("alice"),
        member=member,
        today=ctx.today,
        slug="banjaluka-kranj",
    )


def _twinning_bg(ctx, workspace):
    member = workspace.members.filter(municipality__isnull=False).first()
    _yearly(
        workspace,
        title="Годишна среща на партньорите Смолян – Ксанти",
        agenda=[
            "Отчет за обмена на служители",
            "Пренесени практики и резултати",
            "Работен план за следващата година",
        ],
        minutes=(
            "Партньорите прегледаха обмена на служители и пренесените практики. Приет е работният "
            "план за следващата година."
        ),
        decision="Да се подготви съвместно проектно предложение за трансгранично сътрудничество.",
        owner=ctx.people.get("maria"),
        member=member,
        today=ctx.today,
        slug="smolyan-xanthi",
    )
