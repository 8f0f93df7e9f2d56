import io

from django.core.management import call_command

from mreza.accounts.models import User
from mreza.registry.models import Municipality


def test_load_demo_loads_the_real_bih_registry(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    ba = Municipality.objects.filter(country__code="BA")
    assert ba.count() >= 144
    assert (
        ba.filter(region__code="BA-RS").count() == 64
        or ba.filter(region__code="BA-RS").count() >= 62
    )
    assert ba.filter(type="district").count() == 1
    assert Municipality.objects.search("banja luka").filter(code="BA-BANJA-LUKA").exists()
    assert not ba.filter(latitude__isnull=True).exists()
    assert "alice@mreza.demo" in out.getvalue()
    # Re-running changes nothing and creates no duplicates.
    call_command("load_demo", stdout=io.StringIO())
    assert Municipality.objects.filter(country__code="BA").count() == ba.count()
    assert User.objects.filter(email="alice@mreza.demo").count() == 1


def test_generate_scale_data_is_reproducible(db):
    call_command(
        "generate_scale_data",
        "--municipalities",
        "120",
        "--users-per-municipality",
        "2",
        "--seed",
        "7",
        stdout=io.StringIO(),
    )
    names = list(
        Municipality.objects.filter(code__startswith="SYN7-")
        .order_by("code")
        .values_list("name", flat=True)
    )
    assert len(names) == 120
    assert (
        User.objects.filter(email__endswith="@seed7.synthetic", email__startswith="u").count()
        == 240
    )
    from mreza.assessment.models import Assessment, LearningProfile

    assessments = Assessment.objects.filter(municipality__code__startswith="SYN7-")
    assert 15 < assessments.count() < 60 and all(a.members.count() == 5 for a in assessments[:5])
    assert (
        LearningProfile.objects.filter(municipality__code__startswith="SYN7-").count()
        == assessments.count()
    )
    call_command(
        "generate_scale_data",
        "--municipalities",
        "120",
        "--seed",
        "7",
        "--replace",
        stdout=io.StringIO(),
    )
    again = list(
        Municipality.objects.filter(code__startswith="SYN7-")
        .order_by("code")
        .values_list("name", flat=True)
    )
    assert again == names


def test_load_demo_loads_serbia_and_bulgaria_with_users_in_their_languages(db):
    from mreza.accounts.models import MunicipalRole, OrganisationRole

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Municipality.objects.filter(country__code="RS").count() == 175
    assert Municipality.objects.filter(country__code="BG").count() == 265
    smolyan = Municipality.objects.get(code="BG-SML31")
    roles = {
        (r.user.email, r.role, r.user.language)
        for r in MunicipalRole.objects.filter(
            municipality=smolyan, user__email__endswith="@mreza.demo"
        ).select_related("user")
    }
    assert roles == {
        ("maria@mreza.demo", "coordinator", "bg"),
        ("georgi@mreza.demo", "assessor", "bg"),
        ("elena@mreza.demo", "management", "bg"),
    }
    kragujevac = Municipality.objects.get(code="RS-70645")
    languages = dict(
        MunicipalRole.objects.filter(
            municipality=kragujevac, user__email__endswith="@mreza.demo"
        ).values_list("role", "user__language")
    )
    from mreza.assessment.models import LearningProfile

    assert LearningProfile.objects.filter(municipality__region__code="BG-21").count() == 10
    assert LearningProfile.objects.get(municipality=smolyan).sharing == "coordinators"
    assert languages == {"coordinator": "sr", "assessor": "sr-latn", "management": "sr"}
    coordinators = dict(
        OrganisationRole.objects.filter(role="network_coordinator").values_list(
            "user__email", "organisation__code"
        )
    )
    assert (
        coordinators["ivan@mreza.demo"] == "NAMRB" and coordinators["stefan@mreza.demo"] == "SKGO"
    )
    assert smolyan.memberships.filter(code="NAMRB").exists()
    assert "maria@mreza.demo" in out.getvalue() and "stefan@mreza.demo" in out.getvalue()
    call_command("load_demo", stdout=io.StringIO())
    assert Municipality.objects.filter(country__code__in=["RS", "BG"]).count() == 440
    assert User.objects.filter(email="maria@mreza.demo").count() == 1
