from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from mreza.accounts.models import MunicipalRole, OrganisationRole, User
from mreza.assessment import demo as assessment_demo
from mreza.assessment.models import Assessment
from mreza.assessment.services import install_shipped_frameworks
from mreza.core.audit import acting_as
from mreza.registry.importing import plan_and_apply, read_path
from mreza.registry.models import Country, Municipality, Organisation

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "ba"
DEMO_PASSWORD = "mreza-demo-2026"

# (e-mail, full name, language, municipal roles [(municipality code, role)], organisation roles [(org, role)])
DEMO_PEOPLE = [
    ("admin@mreza.demo", "Ana Administrator", "en", [], [("MREZA", "platform_admin")]),
    ("alice@mreza.demo", "Алиса Петровић", "sr", [("BA-BANJA-LUKA", "coordinator")], []),
    ("bob@mreza.demo", "Bojan Marković", "sr-latn", [("BA-BANJA-LUKA", "assessor")], []),
    ("olga@mreza.demo", "Олга Јовановић", "sr", [("BA-BANJA-LUKA", "ort_member")], []),
    ("tomo@mreza.demo", "Tomo Kovačević", "sr-latn", [("BA-BANJA-LUKA", "training_contact")], []),
    ("mara@mreza.demo", "Мара Стојановић", "sr", [("BA-BANJA-LUKA", "management")], []),
    ("charlie@mreza.demo", "Čarli Hodžić", "bs", [("BA-TUZLA", "staff")], []),
    ("mirza@mreza.demo", "Mirza Begić", "bs", [("BA-TUZLA", "coordinator")], []),
    ("dana@mreza.demo", "Дана Илић", "sr", [], [("SOGRS", "network_coordinator")]),
    ("emir@mreza.demo", "Emir Softić", "bs", [], [("SOGFBIH", "network_coordinator")]),
    ("erin@mreza.demo", "Erina Knežević", "hr", [], [("SOGFBIH", "expert")]),
    ("tina@mreza.demo", "Tina Babić", "hr", [], [("ADS-BIH", "training_commission")]),
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
    help = "Load the real registry of Bosnia and Herzegovina and demo users for every role (safe to re-run)."

    def handle(self, **options):
        plan = plan_and_apply(read_path(DATA_DIR), actor_label="load_demo")
        created = sum(c for c, _u, _n in plan.summary().values())
        with transaction.atomic(), acting_as(None, "load_demo"):
            ba = Country.objects.get(code="BA")
            for code, kind, name, country in DEMO_ORGANISATIONS:
                Organisation.objects.get_or_create(
                    code=code, defaults={"kind": kind, "name": name, "country": ba if country else None})
            organisations = {o.code: o for o in Organisation.objects.all()}
            municipalities = {m.code: m for m in Municipality.objects.filter(
                code__in={c for p in DEMO_PEOPLE for c, _r in p[3]})}
            for email, name, language, municipal, organisational in DEMO_PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, language=language)
                if email.startswith("admin@") and not user.is_superuser:
                    user.is_staff = user.is_superuser = True
                    user.save(update_fields=["is_staff", "is_superuser"])
                for code, role in municipal:
                    MunicipalRole.objects.get_or_create(user=user, municipality=municipalities[code], role=role)
                for code, role in organisational:
                    OrganisationRole.objects.get_or_create(user=user, organisation=organisations[code], role=role)
            banja_luka = municipalities["BA-BANJA-LUKA"]
            if not banja_luka.description:
                with acting_as(User.objects.get(email="alice@mreza.demo")):
                    banja_luka.description = BANJA_LUKA_ABOUT
                    banja_luka.save(update_fields=["description"])
        self._assessments()
        self.stdout.write(f"Demo registry: {Municipality.objects.count()} municipalities ({created} new records).")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, _lang, municipal, organisational in DEMO_PEOPLE:
            roles = [f"{r} of {c}" for c, r in municipal] + [f"{r} at {c}" for c, r in organisational]
            self.stdout.write(f"  {email:<22} {', '.join(roles)}")

    def _assessments(self):
        with transaction.atomic(), acting_as(None, "load_demo"):
            frameworks = {f.code: f for f in install_shipped_frameworks()}
            caf = frameworks["caf2020"]
            people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@mreza.demo")}
            banja_luka = Municipality.objects.get(code="BA-BANJA-LUKA")
            assessment_demo.banja_luka_story(banja_luka, caf, people["alice"], people["bob"], people["olga"],
                                             people["mara"])
            others = Municipality.objects.filter(country__code="BA").exclude(pk=banja_luka.pk).order_by("code")
            assessment_demo.demo_assessments(list(others), caf, share=0.4)
        self.stdout.write(f"Demo self-assessments: {Assessment.objects.count()}.")
