"""Scale data for the library: many published practices in a few queries (bulk inserts).

`generate(n)` writes `n` practices across the municipalities that exist, in Bosnian, Croatian,
Serbian (Cyrillic and Latin), Bulgarian and English, made from a small corpus of phrases about
the topics municipalities share (waste, procurement, energy, water, ...), with areas (the
subcriteria of the newest framework), SDGs, years, result figures and `search_document` filled as
the signals would (bulk_create sends none). `generate_scale_data --practices N` calls it; the
search benchmark (bench/practices_search.py) too.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mreza.assessment.models import Subcriterion
from mreza.practices import search
from mreza.practices.models import Practice, ResultFigure
from mreza.registry.models import Municipality
from mreza.text import cyr_to_lat

BATCH = 2000

# topic: (SDGs, {language: (title, sentence)}) — "sr" is Cyrillic; Serbian Latin is derived.
TOPICS = {
    "waste": (
        (11, 12),
        {
            "bs": ("Upravljanje otpadom", "Uvedeno je odvojeno prikupljanje otpada u naseljima."),
            "hr": ("Gospodarenje otpadom", "Uvedeno je odvojeno prikupljanje otpada u naseljima."),
            "sr": ("Управљање отпадом", "Уведено је одвојено сакупљање отпада у насељима."),
            "bg": ("Управление на отпадъците", "Въведено е разделно събиране на отпадъците."),
            "en": (
                "Waste management",
                "Separate waste collection was introduced in every village.",
            ),
        },
    ),
    "procurement": (
        (16,),
        {
            "bs": (
                "Elektronske javne nabavke",
                "Sve javne nabavke općine objavljuju se na internetu.",
            ),
            "hr": (
                "Elektronička javna nabava",
                "Sva javna nabava grada objavljuje se na internetu.",
            ),
            "sr": (
                "Електронске јавне набавке",
                "Све јавне набавке општине објављују се на интернету.",
            ),
            "bg": (
                "Електронни обществени поръчки",
                "Всички обществени поръчки се публикуват онлайн.",
            ),
            "en": ("Electronic public procurement", "All public procurement is published online."),
        },
    ),
    "energy": (
        (7, 13),
        {
            "bs": (
                "Energetska efikasnost javnih zgrada",
                "Škole i vrtići dobili su novu izolaciju.",
            ),
            "hr": (
                "Energetska učinkovitost javnih zgrada",
                "Škole i vrtići dobili su novu izolaciju.",
            ),
            "sr": (
                "Енергетска ефикасност јавних зграда",
                "Школе и вртићи добили су нову изолацију.",
            ),
            "bg": (
                "Енергийна ефективност на обществени сгради",
                "Училищата и детските градини са санирани.",
            ),
            "en": (
                "Energy efficiency of public buildings",
                "Schools and kindergartens were insulated.",
            ),
        },
    ),
    "water": (
        (6,),
        {
            "bs": ("Vodosnabdijevanje seoskih naselja", "Izgrađen je vodovod za udaljena sela."),
            "hr": ("Vodoopskrba seoskih naselja", "Izgrađen je vodovod za udaljena sela."),
            "sr": ("Водоснабдевање сеоских насеља", "Изграђен је водовод за удаљена села."),
            "bg": ("Водоснабдяване на селата", "Изграден е водопровод за отдалечените села."),
            "en": (
                "Water supply for rural settlements",
                "A water network reached the remote villages.",
            ),
        },
    ),
    "youth": (
        (4, 10),
        {
            "bs": ("Vijeće mladih", "Mladi učestvuju u odlukama općinskog vijeća."),
            "hr": ("Savjet mladih", "Mladi sudjeluju u odlukama gradskog vijeća."),
            "sr": ("Савет младих", "Млади учествују у одлукама скупштине општине."),
            "bg": ("Младежки съвет", "Младите участват в решенията на общинския съвет."),
            "en": ("Youth council", "Young people take part in the council's decisions."),
        },
    ),
    "services": (
        (9, 16),
        {
            "bs": (
                "Šalter sala i e-usluge",
                "Građani dobijaju uvjerenja putem interneta za jedan dan.",
            ),
            "hr": (
                "Jedinstveno upravno mjesto",
                "Građani dobivaju potvrde putem interneta za jedan dan.",
            ),
            "sr": (
                "Услужни центар и е-услуге",
                "Грађани добијају уверења преко интернета за један дан.",
            ),
            "bg": (
                "Център за услуги и е-услуги",
                "Гражданите получават удостоверения онлайн за един ден.",
            ),
            "en": (
                "One-stop shop and e-services",
                "Citizens get certificates online within a day.",
            ),
        },
    ),
    "budget": (
        (16, 17),
        {
            "bs": (
                "Participativni budžet",
                "Mjesne zajednice same biraju projekte za finansiranje.",
            ),
            "hr": (
                "Participativni proračun",
                "Mjesni odbori sami biraju projekte za financiranje.",
            ),
            "sr": ("Партиципативни буџет", "Месне заједнице саме бирају пројекте за финансирање."),
            "bg": ("Партиципативен бюджет", "Кварталите сами избират проектите за финансиране."),
            "en": ("Participatory budgeting", "Neighbourhoods choose the projects to be funded."),
        },
    ),
    "care": (
        (3, 10),
        {
            "bs": (
                "Pomoć u kući za starije",
                "Njegovateljice obilaze starije osobe svake sedmice.",
            ),
            "hr": ("Pomoć u kući za starije", "Njegovateljice obilaze starije osobe svaki tjedan."),
            "sr": ("Помоћ у кући за старије", "Неговатељице обилазе старије особе сваке недеље."),
            "bg": (
                "Домашни грижи за възрастни",
                "Домашни помощници посещават възрастните всяка седмица.",
            ),
            "en": ("Home care for older people", "Carers visit older people every week."),
        },
    ),
    "flood": (
        (11, 13),
        {
            "bs": (
                "Zaštita od poplava",
                "Očišćena su korita rijeka i postavljeni senzori vodostaja.",
            ),
            "hr": (
                "Zaštita od poplava",
                "Očišćena su korita rijeka i postavljeni senzori vodostaja.",
            ),
            "sr": ("Заштита од поплава", "Очишћена су корита река и постављени сензори водостаја."),
            "bg": (
                "Защита от наводнения",
                "Почистени са коритата на реките и са поставени сензори.",
            ),
            "en": (
                "Flood protection",
                "River beds were cleaned and water level sensors installed.",
            ),
        },
    ),
    "tourism": (
        (8, 12),
        {
            "bs": ("Seoski turizam", "Domaćinstva nude smještaj i lokalnu hranu posjetiocima."),
            "hr": ("Ruralni turizam", "Obiteljska gospodarstva nude smještaj i domaću hranu."),
            "sr": ("Сеоски туризам", "Домаћинства нуде смештај и локалну храну посетиоцима."),
            "bg": ("Селски туризъм", "Домакинствата предлагат нощувки и местна храна."),
            "en": ("Rural tourism", "Households offer rooms and local food to visitors."),
        },
    ),
    "greens": (
        (11, 15),
        {
            "bs": (
                "Čišćenje i uređenje zelenih površina",
                "Volonteri su zasadili drveće u parkovima.",
            ),
            "hr": (
                "Čišćenje i uređenje zelenih površina",
                "Volonteri su zasadili drveće u parkovima.",
            ),
            "sr": (
                "Чишћење и уређење зелених површина",
                "Волонтери су засадили дрвеће у парковима.",
            ),
            "bg": (
                "Почистване и озеленяване на парковете",
                "Доброволци засадиха дървета в парковете.",
            ),
            "en": ("Cleaning and greening of parks", "Volunteers planted trees in the parks."),
        },
    ),
    "roads": (
        (9, 11),
        {
            "bs": (
                "Sigurnost saobraćaja oko škola",
                "Oko škola su postavljeni ležeći policajci i rasvjeta.",
            ),
            "hr": (
                "Sigurnost prometa oko škola",
                "Oko škola postavljeni su usporivači i rasvjeta.",
            ),
            "sr": (
                "Безбедност саобраћаја око школа",
                "Око школа постављени су успоривачи и расвета.",
            ),
            "bg": (
                "Безопасност на движението около училищата",
                "Около училищата има нови светофари.",
            ),
            "en": (
                "Road safety around schools",
                "Speed bumps and lighting were put up around schools.",
            ),
        },
    ),
}

# sentences that any practice may use, per language: (problem, action, result)
COMMON = {
    "bs": (
        "Građani su se žalili na sporu administraciju i visoke troškove.",
        "Općina je s partnerima pripremila plan i obučila uposlenike.",
        "Zadovoljstvo građana poraslo je, a troškovi su smanjeni.",
    ),
    "hr": (
        "Građani su se žalili na sporu upravu i visoke troškove.",
        "Grad je s partnerima pripremio plan i osposobio djelatnike.",
        "Zadovoljstvo građana poraslo je, a troškovi su smanjeni.",
    ),
    "sr": (
        "Грађани су се жалили на спору администрацију и високе трошкове.",
        "Општина је са партнерима припремила план и обучила запослене.",
        "Задовољство грађана је порасло, а трошкови су смањени.",
    ),
    "bg": (
        "Гражданите се оплакваха от бавна администрация и високи разходи.",
        "Общината подготви план с партньори и обучи служителите.",
        "Удовлетвореността на гражданите нарасна, а разходите намаляха.",
    ),
    "en": (
        "Citizens complained about slow administration and high costs.",
        "The municipality prepared a plan with partners and trained its staff.",
        "Citizens' satisfaction rose and costs went down.",
    ),
}
PLACES = {
    "bs": "u {name}",
    "hr": "u {name}",
    "sr": "у {name}",
    "bg": "в {name}",
    "en": "in {name}",
}
FIGURES = {
    "bs": ("Broj korisnika", "Troškovi"),
    "hr": ("Broj korisnika", "Troškovi"),
    "sr": ("Број корисника", "Трошкови"),
    "bg": ("Брой потребители", "Разходи"),
    "en": ("Number of users", "Costs"),
}
# (stored language, corpus language, transliterate to Latin): Serbian in both scripts
VARIANTS = (
    ("bs", "bs", False),
    ("hr", "hr", False),
    ("sr", "sr", False),
    ("sr", "sr", True),
    ("bg", "bg", False),
    ("en", "en", False),
)


def _text(value, latin):
    return cyr_to_lat(value) if latin else value


def _practice(rng, municipality, now):
    language, corpus, latin = rng.choice(VARIANTS)
    topics = rng.sample(sorted(TOPICS), 2)
    sdgs_a, texts_a = TOPICS[topics[0]]
    _sdgs_b, texts_b = TOPICS[topics[1]]
    title_a, sentence_a = texts_a[corpus]
    _title_b, sentence_b = texts_b[corpus]
    problem, action, result = COMMON[corpus]
    # a Latin text names the place in Latin (the registry keeps Serbian names in Cyrillic)
    name = municipality.name if corpus in ("sr", "bg") else cyr_to_lat(municipality.name)
    place = PLACES[corpus].format(name=name)
    year = rng.randint(2015, 2026)
    published = now - timedelta(days=rng.randint(0, 3650), minutes=rng.randint(0, 1440))
    sdgs = sorted(set(sdgs_a) | {rng.randint(1, 17)})
    return Practice(
        municipality_id=municipality.pk,
        language=language,
        title=_text(f"{title_a} {place}", latin),
        summary=_text(f"{sentence_a} {sentence_b}", latin),
        problem=_text(f"{problem} {sentence_b}", latin),
        actions=_text(f"<p>{action}</p><p>{sentence_a}</p>", latin),
        results=_text(f"{result} {sentence_a}", latin),
        contact_name="Ana Petrović",
        contact_email="kontakt@example.org",
        transferability=rng.choice(list(Practice.Transferability.values)),
        sdg_codes="," + ",".join(map(str, sdgs)) + ",",
        year=year,
        status=Practice.Status.PUBLISHED if rng.random() < 0.92 else Practice.Status.DRAFT,
        published_at=published,
        revision=1,
    ), (corpus, latin)


def generate(n, *, seed=0, published_only=False):
    """Write `n` practices (about 92 % published) with areas and two result figures each."""
    rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data, no secret)
    municipalities = list(Municipality.objects.only("id", "name").order_by("id"))
    if not municipalities:
        raise ValueError("no municipalities: load the registry or generate municipalities first")
    areas = list(
        Subcriterion.objects.filter(
            framework=Subcriterion.objects.order_by("-framework_id").values("framework_id")[:1]
        ).values_list("pk", flat=True)
    )
    now = timezone.now()
    created = 0
    with transaction.atomic():
        while created < n:
            size = min(BATCH, n - created)
            rows, extras = [], []
            for _ in range(size):
                municipality = rng.choice(municipalities)
                practice, variant = _practice(rng, municipality, now)
                if published_only:
                    practice.status = Practice.Status.PUBLISHED
                rows.append(practice)
                extras.append((municipality, variant))
            figures = []
            for practice, (municipality, (corpus, latin)) in zip(rows, extras, strict=True):
                labels = [_text(label, latin) for label in FIGURES[corpus]]
                practice.search_document = search.document(practice, labels, municipality.name)
                figures.append(labels)
            Practice.objects.bulk_create(rows, batch_size=BATCH)
            _children(rng, rows, figures, areas)
            created += size
    search.library_changed()
    return created


def _children(rng, rows, figure_labels, areas):
    figures, links = [], []
    through = Practice.areas.through
    for practice, labels in zip(rows, figure_labels, strict=True):
        before = rng.randint(10, 1000)
        figures.append(
            ResultFigure(
                practice=practice,
                label=labels[0],
                before=before,
                after=before + rng.randint(1, 500),
                position=0,
            )
        )
        figures.append(
            ResultFigure(
                practice=practice,
                label=labels[1],
                before=before * 10,
                after=before * rng.randint(5, 9),
                position=1,
                unit="EUR",
            )
        )
        chosen = rng.sample(areas, min(len(areas), rng.randint(1, 3)))
        links.extend(through(practice_id=practice.pk, subcriterion_id=area) for area in chosen)
    ResultFigure.objects.bulk_create(figures, batch_size=BATCH)
    through.objects.bulk_create(links, batch_size=BATCH)
