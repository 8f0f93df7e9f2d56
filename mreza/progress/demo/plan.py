"""Demo data of step 3: the action plans.

"active" (a year under way: most early activities done, some in progress, three overdue), "ending"
(almost all done), "new" (a few planned), the partnership's plan, and the work plans of the two
twinnings — in Serbian Cyrillic (ijekavian) for the Bosnian workspaces, Bulgarian for Smolyan –
Xanthi. Costs in BAM, EUR and BGN with their funding sources. Only the workspaces made in this run
(`ctx.created`) are filled, so a re-run adds nothing twice. Activities link to the goals the goals
part made (by position); workspaces without goals get the two of their work plan here.
"""

import datetime
from decimal import Decimal

from mreza.progress.models import Activity, Commitment, Goal

P, W, D, X = "planned", "in_progress", "done", "cancelled"
OWN = "Буџет општине"
IPA = "ЕУ ИПА II"
UNDP = "УНДП"

# (title, member code or "abroad", person login or None, start, due (days from today), status,
#  completed (days from today), cost, currency, funding source, risks, goal position or None)
# fmt: off
ACTIVE = [
    ("Анализа стања људских ресурса у општинама мреже", "BA-BANJA-LUKA", "alice", -360, -300, D,
     -305, 4500, "BAM", OWN, "", 0),
    ("Заједнички оквир компетенција за кључна радна мјеста", "BA-BANJA-LUKA", "olga", -300, -200, D,
     -210, 6000, "BAM", IPA, "", 0),
    ("Обука руководилаца за годишње оцјењивање запослених", "BA-GRADISKA", None, -250, -150, D,
     -160, 12000, "BAM", UNDP, "", 1),
    ("Приручник о поступку пријема у радни однос", "BA-LAKTASI", None, -200, -90, D, -100, 3500,
     "BAM", OWN, "", 0),
    ("Електронска евиденција кадрова – избор рјешења", "BA-PRIJEDOR", None, -150, -20, W, None,
     18000, "BAM", IPA, "Жалба на јавну набавку може одгодити уговор за два мјесеца.", 2),
    ("Анкета о задовољству запослених", "BA-DERVENTA", None, -120, -10, W, None, 1500, "BAM", OWN,
     "Мали одзив запослених ако анкета није анонимна.", 1),
    ("План стручног усавршавања за наредну годину", "BA-BANJA-LUKA", "mara", -100, -40, D, -45, 800,
     "BAM", OWN, "", 1),
    ("Менторски програм за новозапослене", "BA-PRNJAVOR", None, -90, 60, W, None, 5000, "BAM", UNDP,
     "", 1),
    ("Студијска посјета Градишци: дигитални досијеи запослених", "BA-GRADISKA", None, -60, -30, D,
     -33, 2200, "BAM", OWN, "", 2),
    ("Усклађивање правилника о систематизацији радних мјеста", "BA-LAKTASI", None, -80, -5, P, None,
     None, "BAM", "", "Чека се сагласност скупштине општине.", 0),
    ("Обука за интервјуе засноване на компетенцијама", "BA-BANJA-LUKA", "alice", -30, 45, W, None,
     9000, "BAM", IPA, "", 0),
    ("Увођење годишњих развојних разговора", "BA-DERVENTA", None, 10, 120, P, None, 2500, "BAM",
     OWN, "", 1),
    ("Заједнички програм приправништва", "BA-PRIJEDOR", None, 30, 200, P, None, 24000, "BAM", UNDP,
     "Зависи од одобрења донатора за другу годину.", 2),
    ("Вредновање прве године рада мреже", "BA-BANJA-LUKA", "dana", -20, 25, W, None, 3000, "BAM",
     "Савез општина и градова Републике Српске", "", None),
    ("Кампања за привлачење младих кадрова", "BA-PRNJAVOR", None, -70, -40, X, None, 4000, "BAM",
     OWN, "Одложено због избора; поново у наредном плану.", 2),
]
# fmt: on

# fmt: off
ENDING = [
    ("Анкета о задовољству грађана услугама шалтер-сале", "BA-DOBOJ", None, -680, -600, D, -605,
     3000, "BAM", OWN, "", 0),
    ("Заједнички стандарди услуга у матичним уредима", "BA-TESLIC", None, -600, -480, D, -490, 2000,
     "BAM", OWN, "", 0),
    ("Обука службеника за рад са странкама", "BA-MODRICA", None, -520, -430, D, -440, 8500, "BAM",
     UNDP, "", 1),
    ("Књига жалби и похвала на интернету", "BA-ZVORNIK", None, -450, -330, D, -335, 6000, "BAM",
     IPA, "", 1),
    ("Продужено радно вријеме шалтера сриједом", "BA-SRBAC", None, -400, -360, D, -365, None, "BAM",
     "", "", 0),
    ("Мобилни шалтер за удаљена насеља", "BA-CELINAC", None, -380, -200, D, -215, 15000, "BAM",
     UNDP, "", 1),
    ("Поновљена анкета о задовољству грађана", "BA-DOBOJ", None, -120, -60, D, -62, 3000, "BAM",
     OWN, "", 0),
    ("Размјена искустава са Бањом Луком: е-услуге", "BA-BANJA-LUKA", "alice", -150, -90, D, -95,
     1200, "BAM", OWN, "", 1),
    ("Завршни извјештај мреже и препоруке", "BA-DOBOJ", "dana", -40, 20, W, None, 2500, "BAM",
     "Савез општина и градова Републике Српске", "", None),
    ("Заједничка повеља о квалитету услуга", "BA-TESLIC", None, -200, -150, X, None, 1000, "BAM",
     OWN, "Замијењена стандардима услуга у свакој општини.", 0),
]
# fmt: on

# fmt: off
NEW = [
    ("Полазна анализа стратешких докумената општина", "BA-TREBINJE", None, 10, 70, P, None, 2000,
     "BAM", OWN, "", 0),
    ("Радионица: индикатори за праћење развоја", "BA-BILECA", None, 40, 41, P, None, 1800, "BAM",
     UNDP, "", 0),
    ("Заједнички образац годишњег извјештаја о развоју", "BA-GACKO", None, 60, 150, P, None, None,
     "BAM", "", "", 0),
    ("Обука за рад у базама података о пројектима", "BA-FOCA", None, 90, 120, P, None, 5500, "BAM",
     IPA, "", 0),
]
# fmt: on

PARTNERSHIP_GOALS = [
    "Котор Варош уводи електронски регистар аката",
    "Службеници Котор Вароши самостално воде поступак",
]
# fmt: off
PARTNERSHIP = [
    ("Посјета Бањој Луци: како ради регистар аката", "BA-KOTOR-VAROS", None, -110, -100, D, -101,
     600, "BAM", OWN, "", 0),
    ("Пренос шаблона и упутстава за регистар", "BA-BANJA-LUKA", "olga", -100, -60, D, -64, None,
     "BAM", "", "", 0),
    ("Набавка и подешавање софтвера", "BA-KOTOR-VAROS", None, -60, -15, W, None, 7000, "BAM", IPA,
     "Ограничен буџет за лиценце.", 0),
    ("Обука службеника уз ментора", "BA-BANJA-LUKA", "tomo", -20, 40, W, None, 1500, "BAM", UNDP,
     "", 1),
    ("Заједничка провјера након три мјесеца рада", "BA-KOTOR-VAROS", None, 90, 100, P, None, 300,
     "BAM", OWN, "", 1),
]
# fmt: on

TWINNING_GOALS = [
    "Размјена знања о управљању градским услугама",
    "Заједнички пројекти финансирани из фондова ЕУ",
]
# fmt: off
TWINNING = [
    ("Потписивање споразума о братимљењу", "BA-BANJA-LUKA", "alice", -900, -880, D, -885, 2500,
     "EUR", "Буџет града", "", 0),
    ("Студијска посјета Крању: паметно паркирање", "abroad", None, -600, -595, D, -596, 4200, "EUR",
     "Буџет града", "", 0),
    ("Пријава заједничког пројекта на програм Interreg", "BA-BANJA-LUKA", "mara", -400, -300, D,
     -310, 0, "EUR", "", "", 1),
    ("Размјена стручњака за комуналне услуге", "abroad", None, -200, -30, D, -35, 6800, "EUR",
     "Interreg IPA", "", 0),
    ("Заједничка апликација за зелене јавне површине", "BA-BANJA-LUKA", "alice", -60, 30, W, None,
     1500, "EUR", "Буџет града", "Рок позива може бити помјерен.", 1),
    ("Посјета делегације Крања Бањој Луци", "BA-BANJA-LUKA", "alice", 60, 63, P, None, 3500, "EUR",
     "Буџет града", "", 0),
]
# fmt: on

TWINNING_BG_GOALS = [
    "Съвместен туристически продукт Смолян – Ксанти",
    "По-бързи административни услуги за гражданите",
]
# fmt: off
TWINNING_BG = [
    ("Подписване на споразумение за побратимяване", "BG-SML31", "maria", -880, -870, D, -872, 3000,
     "BGN", "Общински бюджет", "", 0),
    ("Обмен на опит: център за административно обслужване", "abroad", None, -500, -495, D, -496,
     4500, "EUR", "Interreg VI-A Гърция – България", "", 1),
    ("Обща карта на туристическите маршрути в Родопите", "BG-SML31", "georgi", -300, -120, D, -130,
     18000, "BGN", "Interreg VI-A Гърция – България", "", 0),
    ("Съвместно участие в туристическо изложение", "abroad", None, -90, -30, W, None, 6500, "EUR",
     "Interreg VI-A Гърция – България", "Съфинансирането от партньора още не е потвърдено.", 0),
    ("Обучение на служители за електронни услуги", "BG-SML31", "elena", -20, 70, W, None, 4000,
     "BGN", "Общински бюджет", "", 1),
    ("Годишна среща на партньорите в Ксанти", "abroad", None, 120, 122, P, None, 2500, "EUR",
     "Общински бюджет", "", None),
]
# fmt: on

# (member code or "abroad", text, due (days from today) or None, fulfilled, activity position)
# fmt: off
COMMITMENTS = {
    "active": [
        ("BA-BANJA-LUKA", "Домаћин два састанка мреже и води заједнички оквир компетенција.", -30,
         True, 1),
        ("BA-GRADISKA", "Дијели модул обуке за оцјењивање са свим члановима.", -140, True, 2),
        ("BA-LAKTASI", "Доставља нацрт правилника о систематизацији на увид мрежи.", -5, False, 9),
        ("BA-PRIJEDOR", "Објављује спецификацију за електронску евиденцију кадрова.", -25, False,
         4),
        ("BA-DERVENTA", "Спроводи анкету о задовољству запослених и дијели резултате.", 20, False,
         5),
        ("BA-PRNJAVOR", "Обезбјеђује три ментора за новозапослене у мрежи.", 30, False, 7),
    ],
    "ending": [
        ("BA-DOBOJ", "Израђује завршни извјештај мреже.", 20, False, 8),
        ("BA-TESLIC", "Дијели стандарде услуга матичних уреда.", -480, True, 1),
        ("BA-CELINAC", "Презентује искуства мобилног шалтера на завршном састанку.", -100, True, 5),
    ],
    "partnership": [
        ("BA-BANJA-LUKA", "Ментор прати обуку сваке друге седмице.", 40, False, 3),
        ("BA-KOTOR-VAROS", "Именује два службеника за рад у регистру.", -70, True, 3),
    ],
    "twinning": [
        ("BA-BANJA-LUKA", "Припрема програм посјете делегације Крања.", 45, False, 5),
        ("abroad", "Крањ дијели документацију позива за заједничку пријаву.", -10, False, 4),
    ],
    "twinning_bg": [
        ("BG-SML31", "Осигурява зала и програма за обученията.", -25, True, 4),
        ("abroad", "Потвърждава съфинансирането за изложението.", -15, False, 3),
    ],
}
# fmt: on

PLANS = {
    "active": (ACTIVE, None),
    "ending": (ENDING, None),
    "new": (NEW, None),
    "partnership": (PARTNERSHIP, PARTNERSHIP_GOALS),
    "twinning": (TWINNING, TWINNING_GOALS),
    "twinning_bg": (TWINNING_BG, TWINNING_BG_GOALS),
}


def load(ctx):
    """Fill the plans of the workspaces made in this run (see mreza/progress/demo/__init__.py)."""
    for key, (rows, own_goals) in PLANS.items():
        if key in ctx.created and key in ctx.workspaces:
            _plan(ctx, ctx.workspaces[key], rows, own_goals, COMMITMENTS.get(key, []))


def _members(workspace):
    members = {}
    for member in workspace.members.select_related("municipality"):
        members[member.municipality.code if member.municipality_id else "abroad"] = member
    return members


def _goals(workspace, own_goals):
    goals = list(workspace.goals.all())
    if not goals and own_goals:
        goals = [
            Goal.objects.create(workspace=workspace, title=title, order=i)
            for i, title in enumerate(own_goals)
        ]
    return goals


def _plan(ctx, workspace, rows, own_goals, commitments):
    members = _members(workspace)
    goals = _goals(workspace, own_goals)
    day = datetime.timedelta(days=1)
    activities = []
    for (title, code, login, start, due, status, completed, cost, currency, funding, risks,
         goal) in rows:  # fmt: skip
        activities.append(
            Activity.objects.create(
                workspace=workspace,
                goal=goals[goal % len(goals)] if goals and goal is not None else None,
                title=title,
                responsible_member=members.get(code),
                responsible_person=ctx.people.get(login) if login else None,
                starts_on=ctx.today + start * day,
                due_on=ctx.today + due * day,
                status=status,
                completed_on=ctx.today + completed * day if completed is not None else None,
                cost=Decimal(cost) if cost is not None else None,
                currency=currency,
                funding_source=funding,
                risks=risks,
            )
        )
    for code, text, due, fulfilled, position in commitments:
        member = members.get(code)
        if member is None:
            continue
        Commitment.objects.create(
            workspace=workspace,
            member=member,
            activity=activities[position] if position is not None else None,
            text=text,
            due_on=ctx.today + due * day if due is not None else None,
            is_fulfilled=fulfilled,
        )
