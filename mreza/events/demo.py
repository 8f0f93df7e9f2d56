"""Events in the demo: the association's upcoming annual conference in Banja Luka (a programme of
six sessions with speakers, its places taken, two people on the waiting list, the practices and
network results it showcases), a study visit to Tuzla that took place last month (attendance
taken, certificates issued) and an upcoming workshop on public procurement in Kragujevac.

Everything goes through the services, as the organisers' clicks would (audited); the study visit is
registered for while still ahead and then moved into the past, as happens in real life. Safe to
re-run: an event whose title exists is left as it is. Runs after the practices demo (for the
showcase) and the progress demo (published workspaces).

Called by front's `load_demo` inside `acting_as(None, "load_demo")`.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from mreza.accounts.models import User
from mreza.events.models import Event
from mreza.events.services import certificates, registrations
from mreza.events.services import events as services
from mreza.practices.models import Practice
from mreza.progress.models import Workspace
from mreza.registry.models import Municipality, Organisation

CONFERENCE_TITLE = "Годишња конференција Савеза општина и градова Републике Српске"
VISIT_TITLE = "Studijska posjeta Tuzli: jednošalterski sistem i e-usluge"
WORKSHOP_TITLE = "Radionica: javne nabavke u lokalnoj samoupravi"

CONFERENCE_TEXT = (
    "<p>Годишња конференција је мјесто гдје се општине упознају, размјењују искуства и "
    "договарају партнерства за наредну годину.</p>"
    "<p><strong>Теме ове године:</strong></p>"
    "<ul><li>управљање отпадом и циркуларна економија</li>"
    "<li>јавне набавке и транспарентност</li>"
    "<li>резултати мрежа за учење</li></ul>"
)
# (day, start hour, minutes, room, title, [(speaker, affiliation, bio)])
SESSIONS = [
    (
        0,
        9,
        60,
        "Велика сала",
        "Отварање и поздравне ријечи",
        [
            ("Дана Илић", "Савез општина и градова РС", "Координаторка мрежа за учење."),
        ],
    ),
    (
        0,
        10,
        90,
        "Велика сала",
        "Резултати мрежа за учење 2025–2027",
        [
            ("Алиса Петровић", "Град Бања Лука", "Координаторка за квалитет управе."),
            ("Mirza Begić", "Grad Tuzla", "Koordinator za razvoj i EU fondove."),
        ],
    ),
    (
        0,
        12,
        60,
        "Сала 2",
        "Управљање отпадом: од депоније до рециклаже",
        [
            ("Милица Радовановић", "Град Крагујевац", "Руководи одјељењем за комуналне послове."),
        ],
    ),
    (
        0,
        14,
        90,
        "Сала 2",
        "Јавне набавке без грешака: размјена шефова одјељења",
        [
            ("Nikola Đorđević", "Grad Kragujevac", "Službenik za javne nabavke."),
            ("Erina Knežević", "Savez općina i gradova FBiH", "Stručnjakinja za ocjenu praksi."),
        ],
    ),
    (
        1,
        9,
        120,
        "Велика сала",
        "Сајам добрих пракси",
        [
            ("Мария Караиванова", "Община Смолян", "Координаторка на проекти."),
        ],
    ),
    (
        1,
        11,
        60,
        "Велика сала",
        "Партнерства за 2028: договори и закључци",
        [
            ("Дана Илић", "Савез општина и градова РС", ""),
            ("Emir Softić", "Savez općina i gradova FBiH", "Koordinator mreža."),
        ],
    ),
]
CONFERENCE_PEOPLE = ("alice", "bob", "olga", "mara", "charlie", "mirza", "milica", "nikola")
CONFERENCE_WAITING = ("jelena", "maria")
VISIT_PEOPLE = ("alice", "olga", "bob", "milica", "maria")
VISIT_PRESENT = ("alice", "olga", "milica", "maria")
WORKSHOP_PEOPLE = ("nikola", "jelena")


def load(stdout=None):
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@mreza.demo")}
    made = []
    for title, build in (
        (CONFERENCE_TITLE, _conference),
        (VISIT_TITLE, _study_visit),
        (WORKSHOP_TITLE, _workshop),
    ):
        if Event.objects.filter(title=title).exists():
            continue
        with transaction.atomic():
            build(people)
        made.append(title)
    if stdout is not None:
        stdout.write(f"Demo events: {Event.objects.count()} ({len(made)} new).")
    return made


def _day(days, hour, minute=0):
    local = timezone.localtime() + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _register(event, people, names, affiliation=""):
    for name in names:
        if name in people:
            registrations.register(event, people[name], affiliation)


def _conference(people):
    starts = _day(45, 9)
    event = services.create_event(
        {
            "kind": Event.Kind.CONFERENCE,
            "title": CONFERENCE_TITLE,
            "description": CONFERENCE_TEXT,
            "place": "Бања Лука, Бански двор",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(days=1, hours=4),
            "organiser": Organisation.objects.get(code="SOGRS"),
            "host": Municipality.objects.get(code="BA-BANJA-LUKA"),
            "languages": ["sr", "bs", "hr", "en"],
            "capacity": len(CONFERENCE_PEOPLE),
            "registration_closes_at": starts - datetime.timedelta(days=3),
        },
        people.get("dana"),
    )
    for day, hour, minutes, room, title, speakers in SESSIONS:
        begins = starts + datetime.timedelta(days=day, hours=hour - 9)
        session = services.add_session(
            event,
            {
                "starts_at": begins,
                "ends_at": begins + datetime.timedelta(minutes=minutes),
                "room": room,
                "title": title,
                "description": "",
            },
        )
        for order, (name, affiliation, bio) in enumerate(speakers):
            services.add_speaker(
                session, {"name": name, "affiliation": affiliation, "bio": bio, "order": order}
            )
    event = services.publish(event)
    _register(event, people, CONFERENCE_PEOPLE)
    _register(event, people, CONFERENCE_WAITING)  # the places are taken: the waiting list
    services.set_showcase(
        event,
        workspaces=list(Workspace.objects.filter(is_published=True).order_by("id")[:3]),
        practices=list(
            Practice.objects.filter(status=Practice.Status.PUBLISHED).order_by("id")[:6]
        ),
    )
    return event


def _study_visit(people):
    starts = _day(10, 9)
    event = services.create_event(
        {
            "kind": Event.Kind.STUDY_VISIT,
            "title": VISIT_TITLE,
            "description": "Posjeta centru za usluge građanima i razgovor s odjeljenjem za "
            "informatiku o uvođenju e-usluga.",
            "place": "Tuzla, Gradska uprava",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=7),
            "organiser": Organisation.objects.get(code="SOGFBIH"),
            "host": Municipality.objects.get(code="BA-TUZLA"),
            "languages": ["bs", "sr", "hr"],
            "capacity": 20,
        },
        people.get("emir"),
    )
    event = services.publish(event)
    _register(event, people, VISIT_PEOPLE, "")
    # it took place last month: the same event, moved back in time
    past = _day(-30, 9)
    Event.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=7)
    )
    event.refresh_from_db()
    present = event.registrations.filter(user__email__in=[f"{n}@mreza.demo" for n in VISIT_PRESENT])
    registrations.set_attendance(event, present.values_list("pk", flat=True))
    certificates.issue_certificates(event, people.get("emir"))
    return event


def _workshop(people):
    starts = _day(21, 10)
    event = services.create_event(
        {
            "kind": Event.Kind.WORKSHOP,
            "title": WORKSHOP_TITLE,
            "description": "Praktična radionica za službenike za javne nabavke: planiranje, "
            "tenderska dokumentacija i najčešće greške.\n\nPonesite svoj plan nabavki.",
            "place": "Kragujevac, Skupština grada",
            "online_url": "https://meet.example.org/nabavke",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=5),
            "organiser": Organisation.objects.get(code="SKGO"),
            "host": Municipality.objects.get(code="RS-70645"),
            "languages": ["sr"],
            "capacity": 25,
        },
        people.get("stefan"),
    )
    event = services.publish(event)
    _register(event, people, WORKSHOP_PEOPLE, "Grad Kragujevac")
    return event
