import random
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from mreza.accounts.models import MunicipalRole, OrganisationRole, User
from mreza.assessment import demo as assessment_demo
from mreza.assessment.models import Assessment
from mreza.assessment.services import install_shipped_frameworks
from mreza.core.audit import acting_as
from mreza.core.models import PeriodicJobRun
from mreza.evaluation import demo as evaluation_demo
from mreza.events import demo as events_demo
from mreza.practices import demo as practices_demo
from mreza.progress import demo as progress_demo
from mreza.registry.importing import plan_and_apply, read_path
from mreza.registry.models import Country, Municipality, Organisation
from mreza.surveys import demo as surveys_demo

# the shipped registries belong to the registry app (mreza/registry/data)
DATA_ROOT = Path(__file__).resolve().parents[3] / "registry" / "data"
DATA_DIR = DATA_ROOT / "ba"
# The real registries, in this order: Bosnia and Herzegovina, Serbia, Bulgaria.
REGISTRIES = ("ba", "rs", "bg")
DEMO_PASSWORD = "mreza-demo-2026"  # noqa: S105 (the published demo password, see README)

# People in Republika Srpska write Serbian ijekavian (sr-ijekavsk, sr-latn-ijekavsk); in Serbia
# ekavian.
# (e-mail, full name, language, municipal roles [(municipality code, role)], organisation roles
# [(org, role)])
DEMO_PEOPLE = [
    ("admin@mreza.demo", "Ana Administrator", "en", [], [("MREZA", "platform_admin")]),
    ("alice@mreza.demo", "Алиса Петровић", "sr-ijekavsk", [("BA-BANJA-LUKA", "coordinator")], []),
    ("bob@mreza.demo", "Bojan Marković", "sr-latn-ijekavsk", [("BA-BANJA-LUKA", "assessor")], []),
    ("olga@mreza.demo", "Олга Јовановић", "sr-ijekavsk", [("BA-BANJA-LUKA", "ort_member")], []),
    (
        "tomo@mreza.demo",
        "Tomo Kovačević",
        "sr-latn-ijekavsk",
        [("BA-BANJA-LUKA", "training_contact")],
        [],
    ),
    ("mara@mreza.demo", "Мара Стојановић", "sr-ijekavsk", [("BA-BANJA-LUKA", "management")], []),
    ("charlie@mreza.demo", "Čarli Hodžić", "bs", [("BA-TUZLA", "staff")], []),
    ("mirza@mreza.demo", "Mirza Begić", "bs", [("BA-TUZLA", "coordinator")], []),
    ("dana@mreza.demo", "Дана Илић", "sr-ijekavsk", [], [("SOGRS", "network_coordinator")]),
    ("emir@mreza.demo", "Emir Softić", "bs", [], [("SOGFBIH", "network_coordinator")]),
    ("erin@mreza.demo", "Erina Knežević", "hr", [], [("SOGFBIH", "expert")]),
    ("vesna@mreza.demo", "Весна Тодоровић", "sr-ijekavsk", [], [("SOGRS", "expert")]),
    ("tina@mreza.demo", "Tina Babić", "hr", [], [("ADS-BIH", "training_commission")]),
    # Bulgaria: Smolyan and the national association НСОРБ.
    ("maria@mreza.demo", "Мария Караиванова", "bg", [("BG-SML31", "coordinator")], []),
    ("georgi@mreza.demo", "Георги Петров", "bg", [("BG-SML31", "assessor")], []),
    ("elena@mreza.demo", "Елена Хаджиева", "bg", [("BG-SML31", "management")], []),
    ("ivan@mreza.demo", "Иван Стоянов", "bg", [], [("NAMRB", "network_coordinator")]),
    # Serbia: Kragujevac and the Standing Conference СКГО.
    ("milica@mreza.demo", "Милица Радовановић", "sr", [("RS-70645", "coordinator")], []),
    ("nikola@mreza.demo", "Nikola Đorđević", "sr-latn", [("RS-70645", "assessor")], []),
    ("jelena@mreza.demo", "Јелена Милосављевић", "sr", [("RS-70645", "management")], []),
    ("stefan@mreza.demo", "Стефан Лазић", "sr", [], [("SKGO", "network_coordinator")]),
]

DEMO_ORGANISATIONS = [
    ("MREZA", "platform", "Mreža", None),
    ("ADS-BIH", "ministry", "Agencija za državnu službu – obuka lokalne samouprave", "BA"),
    ("OSCE-BL", "field_office", "Terenska kancelarija Banja Luka", "BA"),
]

BANJA_LUKA_ABOUT = (
    "Град Бања Лука је административни центар Републике Српске.\n"
    "Желимо да унапредимо услуге грађанима и да своја искуства поделимо са другим општинама."
)


class Command(BaseCommand):
    help = (
        "Load the real registries of Bosnia and Herzegovina, Serbia and Bulgaria and demo users "
        "for every "
        "role (safe to re-run)."
    )

    def handle(self, **options):
        created = 0
        for folder in REGISTRIES:
            plan = plan_and_apply(read_path(DATA_ROOT / folder), actor_label="load_demo")
            created += sum(c for c, _u, _n in plan.summary().values())
        with transaction.atomic(), acting_as(None, "load_demo"):
            ba = Country.objects.get(code="BA")
            for code, kind, name, country in DEMO_ORGANISATIONS:
                Organisation.objects.get_or_create(
                    code=code,
                    defaults={"kind": kind, "name": name, "country": ba if country else None},
                )
            organisations = {o.code: o for o in Organisation.objects.all()}
            municipalities = {
                m.code: m
                for m in Municipality.objects.filter(
                    code__in={c for p in DEMO_PEOPLE for c, _r in p[3]}
                )
            }
            for email, name, language, municipal, organisational in DEMO_PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email, DEMO_PASSWORD, full_name=name, language=language
                    )
                if email.startswith("admin@") and not user.is_superuser:
                    user.is_staff = user.is_superuser = True
                    user.save(update_fields=["is_staff", "is_superuser"])
                for code, role in municipal:
                    MunicipalRole.objects.get_or_create(
                        user=user, municipality=municipalities[code], role=role
                    )
                for code, role in organisational:
                    OrganisationRole.objects.get_or_create(
                        user=user, organisation=organisations[code], role=role
                    )
            banja_luka = municipalities["BA-BANJA-LUKA"]
            if not banja_luka.description:
                with acting_as(User.objects.get(email="alice@mreza.demo")):
                    banja_luka.description = BANJA_LUKA_ABOUT
                    banja_luka.save(update_fields=["description"])
        self._assessments()
        with transaction.atomic(), acting_as(None, "load_demo"):
            progress_demo.load(self.stdout)
        with transaction.atomic(), acting_as(None, "load_demo"):
            surveys_demo.load(self.stdout)
        with transaction.atomic(), acting_as(None, "load_demo"):
            evaluation_demo.load(self.stdout)
        with transaction.atomic(), acting_as(None, "load_demo"):
            practices_demo.load(self.stdout)
        with transaction.atomic(), acting_as(None, "load_demo"):
            events_demo.load(self.stdout)
        # the open-data release of /open-data/ (rebuilt nightly in production)
        call_command("build_open_data", verbosity=0)
        # just built: the embedded worker's first start must not build it again at once
        built_at = timezone.now()
        PeriodicJobRun.objects.update_or_create(
            command="build_open_data",
            defaults={"last_started_at": built_at, "last_finished_at": built_at, "last_error": ""},
        )
        self.stdout.write(
            f"Demo registry: {Municipality.objects.count()} municipalities ({created} new records)."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, _lang, municipal, organisational in DEMO_PEOPLE:
            roles = [f"{r} of {c}" for c, r in municipal] + [
                f"{r} at {c}" for c, r in organisational
            ]
            self.stdout.write(f"  {email:<22} {_lang:<16} {', '.join(roles)}")

    def _assessments(self):
        with transaction.atomic(), acting_as(None, "load_demo"):
            frameworks = {f.code: f for f in install_shipped_frameworks()}
            caf = frameworks["caf2020"]
            people = {
                u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@mreza.demo")
            }
            banja_luka = Municipality.objects.get(code="BA-BANJA-LUKA")
            assessment_demo.banja_luka_story(
                banja_luka, caf, people["alice"], people["bob"], people["olga"], people["mara"]
            )
            others = (
                Municipality.objects.filter(country__code="BA")
                .exclude(pk=banja_luka.pk)
                .order_by("code")
            )
            assessment_demo.demo_assessments(list(others), caf, share=0.4)
            # Bulgaria and Serbia: Smolyan and Kragujevac (shared with coordinators, accepted by
            # their
            # management) and every unit of their province / district, so that НСОРБ and СКГО can
            # group.
            homes = (
                ("BG-SML31", "georgi", "elena", "BG-21"),
                ("RS-70645", "nikola", "jelena", "RS-12"),
            )
            for code, assessor, management, region in homes:
                home = Municipality.objects.get(code=code)
                if not Assessment.objects.filter(municipality=home, framework=caf).exists():
                    assessors = [
                        people[assessor],
                        *assessment_demo.synthetic_assessors(home, 3, make_password(None)),
                    ]
                    assessment_demo.build_completed_assessment(
                        home,
                        caf,
                        "classic",
                        assessors,
                        random.Random(code),
                        year=2024,
                        sharing="coordinators",
                        accepted_by=people[management],
                    )
                neighbours = (
                    Municipality.objects.filter(region__code=region)
                    .exclude(pk=home.pk)
                    .order_by("code")
                )
                assessment_demo.demo_assessments(list(neighbours), caf, share=1.0, seed=8)
        self.stdout.write(f"Demo self-assessments: {Assessment.objects.count()}.")
