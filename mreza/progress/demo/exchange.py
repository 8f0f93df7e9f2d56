"""Demo data of step 3, learning between members: the agreements of the two twinnings (Banja Luka –
Kranj, Smolyan – Xanthi) with staff exchanges, an internship, mentoring pairs with their meetings
and transferred practices; peer and study visits in the "active" and "ending" networks; a mentoring
pair in the partnership. Texts in Serbian Cyrillic (ijekavian) for Bosnia and Herzegovina, in
Bulgarian for Smolyan.

Only workspaces made in this run (ctx.created) are filled, so a re-run adds nothing twice.
"""

import datetime

from mreza.progress.models import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    Visit,
)
from mreza.progress.services import exchange as services

ABROAD = None  # the key of a workspace's partner abroad (a member without a registry code)


def load(ctx):
    """Fill the workspaces in ctx.created (see mreza/progress/demo/__init__.py)."""
    for key, fill in (
        ("twinning", _banja_luka_kranj),
        ("twinning_bg", _smolyan_xanthi),
        ("active", _active_network),
        ("ending", _ending_network),
        ("partnership", _partnership),
    ):
        if key in ctx.created:
            workspace = ctx.workspaces[key]
            fill(ctx, workspace, _members(workspace))


def _members(workspace):
    """The members by registry code; the partner abroad under ABROAD."""
    return {
        (m.municipality.code if m.municipality_id else ABROAD): m
        for m in workspace.members.select_related("municipality")
    }


def _day(ctx, days_ago):
    return ctx.today - datetime.timedelta(days=days_ago)


def _visit(ctx, workspace, kind, host, visitors, ago, length, participants, learned, to_adopt):
    visit = Visit.objects.create(
        workspace=workspace,
        kind=kind,
        host=host,
        starts_on=_day(ctx, ago),
        ends_on=_day(ctx, ago - length + 1),
        participants=participants,
        learned=learned,
        to_adopt=to_adopt,
    )
    visit.visitors.set(visitors)
    return visit


def _exchange(ctx, workspace, kind, name, home, host, ago, length, results, person=None):
    return StaffExchange.objects.create(
        workspace=workspace,
        kind=kind,
        person_name=name,
        person=person,
        home=home,
        host=host,
        starts_on=_day(ctx, ago),
        ends_on=_day(ctx, ago - length + 1),
        results=results,
    )


def _pair(ctx, workspace, mentor, mentee, topic, ago, sessions, **extra):
    """A mentoring pair: mentor and mentee are (name, member, user or None); sessions are
    (days ago, notes)."""
    ends_ago = extra.pop("ends_ago", None)
    pair = MentoringPair.objects.create(
        workspace=workspace,
        mentor_name=mentor[0],
        mentor_member=mentor[1],
        mentor=mentor[2],
        mentee_name=mentee[0],
        mentee_member=mentee[1],
        mentee=mentee[2],
        topic=topic,
        starts_on=_day(ctx, ago),
        ends_on=_day(ctx, ends_ago) if ends_ago is not None else None,
        **extra,
    )
    for days_ago, notes in sessions:
        MentoringSession.objects.create(pair=pair, held_on=_day(ctx, days_ago), notes=notes)
    return pair


def _practice(ctx, workspace, title, description, source, adopter, ago, responsible, result):
    return TransferredPractice.objects.create(
        workspace=workspace,
        title=title,
        description=description,
        source=source,
        adopter=adopter,
        adopted_on=_day(ctx, ago),
        responsible=responsible,
        result=result,
    )


def _agreement(workspace, signed_before, years, signatories, work_plan):
    starts_on = workspace.starts_on
    services.save_agreement(
        workspace,
        {
            "signed_on": starts_on - datetime.timedelta(days=signed_before),
            "starts_on": starts_on,
            "ends_on": starts_on.replace(year=starts_on.year + years) - datetime.timedelta(days=1),
            "signatories": signatories,
            "work_plan": work_plan,
        },
        0,
    )


# ------------------------------------------------------------------------ Banja Luka – Kranj


def _banja_luka_kranj(ctx, workspace, members):
    bl, kranj = members["BA-BANJA-LUKA"], members[ABROAD]
    people = ctx.people
    _agreement(
        workspace,
        21,
        5,
        "Градоначелник Града Бање Луке\nŽupan Mestne občine Kranj",
        "1. Размјена искустава у електронским услугама (е-дозволе, е-пријаве).\n"
        "2. Стручне посјете и стажирање службеника у обје управе.\n"
        "3. Менторство у урбанистичком планирању и управљању пројектима ЕУ.\n"
        "4. Годишњи састанак градоначелника и заједнички извјештај.",
    )
    _visit(
        ctx,
        workspace,
        Visit.Kind.STUDY,
        kranj,
        [bl],
        760,
        3,
        "Олга Јовановић (одјељење за информационе технологије)\n"
        "Томо Ковачевић (одјељење за просторно уређење)",
        "Крањ издаје грађевинске дозволе потпуно електронски: захтјев, прилози и сагласности "
        "иду кроз један портал, а странка у сваком тренутку види гдје је предмет.",
        "Портал за праћење предмета у просторном уређењу; јавни рокови за сваки корак.",
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.EXCHANGE,
        "Милан Ковачевић",
        bl,
        kranj,
        640,
        10,
        "Упознао се са радом шалтер-сале и системом електронских дозвола; донио приједлог "
        "процедуре за Бању Луку.",
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.INTERNSHIP,
        people["olga"].full_name,
        bl,
        kranj,
        420,
        21,
        "Тронедјељно стажирање у служби за информационе технологије Крања: миграција "
        "регистра предмета и обука за администрацију портала.",
        person=people["olga"],
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.EXCHANGE,
        "Nina Zupan",
        kranj,
        bl,
        300,
        5,
        "Представила модел партиципативног буџета Крања вијећницима и мјесним заједницама.",
    )
    _pair(
        ctx,
        workspace,
        ("Petra Novak", kranj, None),
        (people["olga"].full_name, bl, people["olga"]),
        "Управљање пројектима ЕУ",
        500,
        [
            (480, "Преглед позива Interreg IPA и критеријума; подјела улога у тиму."),
            (400, "Рад на буџету пројекта и плану набавки."),
            (330, "Пријава поднесена; договор о праћењу реализације."),
        ],
        status=MentoringPair.Status.COMPLETED,
        ends_ago=300,
        outcome="Бања Лука поднијела прву самосталну пријаву на Interreg IPA; пројекат одобрен.",
    )
    _pair(
        ctx,
        workspace,
        ("Matej Kos", kranj, None),
        (people["tomo"].full_name, bl, people["tomo"]),
        "Дигитални урбанистички планови",
        120,
        [
            (100, "Преглед ГИС слојева и стандарда података."),
            (45, "Пилот за једну мјесну заједницу."),
        ],
    )
    _practice(
        ctx,
        workspace,
        "Е-пријава комуналних проблема",
        "Грађани пријављују комуналне проблеме (расвјета, оштећења, отпад) кроз апликацију са "
        "фотографијом и локацијом; служба одговара у року и објављује рјешење. Преузет модел "
        "категорија и рокова из Крања, прилагођен нашим комуналним предузећима.",
        kranj,
        bl,
        200,
        "Одјељење за комуналне послове, Олга Јовановић",
        "За шест мјесеци 2.300 пријава; просјечно вријеме рјешавања смањено са 19 на 8 дана.",
    )


# --------------------------------------------------------------------------- Smolyan – Xanthi


def _smolyan_xanthi(ctx, workspace, members):
    smolyan, xanthi = members["BG-SML31"], members[ABROAD]
    people = ctx.people
    _agreement(
        workspace,
        30,
        6,
        "Кмет на община Смолян\nΔήμαρχος Ξάνθης (кмет на дем Ксанти)",
        "1. Съвместен туристически продукт „Родопите без граница“.\n"
        "2. Обмен на служители в туристическите информационни центрове.\n"
        "3. Наставничество в управлението на проекти по програма Interreg Гърция – България.\n"
        "4. Годишна среща и общ доклад за напредъка.",
    )
    _visit(
        ctx,
        workspace,
        Visit.Kind.STUDY,
        xanthi,
        [smolyan],
        700,
        2,
        "Георги Петров (туризъм)\nЕлена Хаджиева (заместник-кмет)",
        "Ксанти води общ календар на събитията с хотелиерите и културните институти и "
        "обявява пакети за уикенд два месеца предварително.",
        "Общ календар на събитията с частния сектор; пакети за уикенд.",
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.EXCHANGE,
        people["georgi"].full_name,
        smolyan,
        xanthi,
        600,
        7,
        "Запозна се с работата на туристическия информационен център и системата за "
        "резервации; предложи общ туристически маршрут.",
        person=people["georgi"],
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.INTERNSHIP,
        "Ελένη Παπαδοπούλου (Елени Пападопулу)",
        xanthi,
        smolyan,
        365,
        28,
        "Четириседмичен стаж в отдел „Европейски програми“: подготовка на съвместното "
        "проектно предложение и превод на материалите.",
    )
    _pair(
        ctx,
        workspace,
        ("Δημήτρης Παππάς (Димитрис Папас)", xanthi, None),
        (people["maria"].full_name, smolyan, people["maria"]),
        "Управление на проекти по Interreg Гърция – България",
        420,
        [
            (400, "Преглед на поканата и разпределение на ролите."),
            (330, "Бюджет и план за обществените поръчки."),
            (250, "Отчитане на първия етап; уроци за следващото предложение."),
        ],
        outcome="Общото предложение „Родопите без граница“ е одобрено за финансиране.",
    )
    _practice(
        ctx,
        workspace,
        "Общ календар на събитията",
        "Един календар на културните и спортните събития, воден заедно с хотелиерите и "
        "читалищата, публикуван два месеца предварително и свързан с пакетите за уикенд.",
        xanthi,
        smolyan,
        240,
        "Отдел „Туризъм“, Георги Петров",
        "Нощувките през уикендите извън сезона нараснаха с 14 % за една година.",
    )


# ------------------------------------------------------------------------------ the networks


def _active_network(ctx, workspace, members):
    bl, gradiska, laktasi = members["BA-BANJA-LUKA"], members["BA-GRADISKA"], members["BA-LAKTASI"]
    prijedor, derventa, prnjavor = (
        members["BA-PRIJEDOR"],
        members["BA-DERVENTA"],
        members["BA-PRNJAVOR"],
    )
    _visit(
        ctx,
        workspace,
        Visit.Kind.PEER,
        bl,
        [gradiska, laktasi, prijedor],
        300,
        1,
        "Руководиоци кадровских служби Градишке, Лакташа и Приједора",
        "Бања Лука води годишњи план обука из анализе потреба коју попуњава сваки "
        "руководилац; оцјењивање запослених је повезано са планом развоја.",
        "Образац анализе потреба за обуком; годишњи план обука.",
    )
    _visit(
        ctx,
        workspace,
        Visit.Kind.STUDY,
        prijedor,
        [derventa, prnjavor],
        160,
        2,
        "Кадровски референти Дервенте и Прњавора",
        "Приједор уводи нове запослене по програму од 30 дана са ментором у служби.",
        "Програм увођења у посао са ментором.",
    )
    _exchange(
        ctx,
        workspace,
        StaffExchange.Kind.EXCHANGE,
        "Јелена Ђурић",
        laktasi,
        bl,
        200,
        5,
        "Упознала се са електронском кадровском евиденцијом; Лакташи је уводе од јануара.",
    )
    _practice(
        ctx,
        workspace,
        "Годишњи план обука из анализе потреба",
        "Сваки руководилац у јануару попуњава кратку анализу потреба за обуком; кадровска "
        "служба од ње прави годишњи план и буџет обука.",
        bl,
        laktasi,
        150,
        "Кадровска служба Лакташа",
        "План обука за ову годину усвојен; 85 % запослених има бар једну обуку у плану.",
    )


def _ending_network(ctx, workspace, members):
    doboj, teslic, modrica = members["BA-DOBOJ"], members["BA-TESLIC"], members["BA-MODRICA"]
    bl, zvornik = members["BA-BANJA-LUKA"], members["BA-ZVORNIK"]
    _visit(
        ctx,
        workspace,
        Visit.Kind.PEER,
        doboj,
        [teslic, modrica, zvornik],
        560,
        1,
        "Шефови шалтер-сала и службеници за односе са грађанима",
        "Добој сваке године анкетира кориснике шалтер-сале и објављује резултате са мјерама.",
        "Годишња анкета задовољства са објављеним мјерама.",
    )
    _visit(
        ctx,
        workspace,
        Visit.Kind.STUDY,
        bl,
        [doboj, teslic],
        330,
        2,
        "Тимови за квалитет Добоја и Теслића",
        "Бања Лука прати вријеме чекања на шалтеру и у реалном времену отвара нови шалтер.",
        "Праћење времена чекања; правило отварања додатног шалтера.",
    )
    _practice(
        ctx,
        workspace,
        "Годишња анкета задовољства корисника",
        "Кратак упитник на шалтеру и на интернету (десет питања), исти сваке године, са "
        "објављеним резултатима и мјерама у року од мјесец дана.",
        doboj,
        teslic,
        280,
        "Служба за односе са грађанима Теслића",
        "Двије анкете спроведене; задовољство порасло са 3,6 на 4,1 (од 5).",
    )


def _partnership(ctx, workspace, members):
    bl, kotor_varos = members["BA-BANJA-LUKA"], members["BA-KOTOR-VAROS"]
    _pair(
        ctx,
        workspace,
        (ctx.people["alice"].full_name, bl, ctx.people["alice"]),
        ("Драган Томић", kotor_varos, None),
        "Управљање финансијама и буџетирање по програмима",
        100,
        [
            (90, "Преглед буџетског календара и програмске структуре."),
            (60, "Индикатори за програме; први нацрт."),
            (20, "Јавна расправа о буџету: припрема материјала за грађане."),
        ],
    )
