"""Shared test personas.

alice   — coordinator of municipality A (sees and changes A's private pages)
bob     — assessor in A (sees A's people, cannot change A or see its history)
charlie — staff of municipality B (must see none of A's private data)
dana    — network coordinator of the association A belongs to (sees A's people, changes nothing)
admin   — platform administrator (sees everything)
"""

import pytest


class Factory:
    def __init__(self):
        from mreza.registry.models import Country, Region

        self.country = Country.objects.create(code="BA", name="Bosnia and Herzegovina")
        self.entity = Region.objects.create(
            country=self.country, code="T-RS", kind="entity", name="Република Српска"
        )
        self.canton = Region.objects.create(
            country=self.country, code="T-FBIH-03", kind="canton", name="Tuzlanski kanton"
        )

    def municipality(self, code, name, region=None, **extra):
        from mreza.registry.models import Municipality

        extra.setdefault("population", 10000)
        extra.setdefault("latitude", 44.5)
        extra.setdefault("longitude", 18.0)
        return Municipality.objects.create(
            code=code, name=name, country=self.country, region=region or self.entity, **extra
        )

    def user(self, name, **extra):
        from mreza.accounts.models import User

        return User.objects.create_user(
            f"{name}@example.org", "test-password-123", full_name=name.title(), **extra
        )


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MREZA_MFA_REQUIRED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"
    settings.MREZA_JOBS = "sync"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: SQLite hands out the same ids again after a
    rollback, so an entry cached by an earlier test (area names, choices) could be read as a later
    test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rendered_pages(monkeypatch):
    """Public pages rendered on every request, not served from the whole-page cache of anonymous
    visitors (registry/pagecache.py), and the API's public lists built on every request (not
    kept by api/public/common.kept_list): for the tests that count what building a page costs."""
    from mreza.api.public import common
    from mreza.registry import pagecache

    monkeypatch.setattr(pagecache, "_anonymous_first_visit", lambda request: False)
    monkeypatch.setattr(common, "KEPT_PAGES", 0)


@pytest.fixture
def world(db):
    from mreza.accounts.models import MunicipalRole, OrganisationRole, User
    from mreza.registry.models import Membership, Organisation

    f = Factory()
    f.a = f.municipality("T-A", "Бања Лука", population=185042, type="city")
    f.b = f.municipality("T-B", "Tuzla", region=f.canton, population=110979, type="city")
    f.association = Organisation.objects.create(
        code="T-ASSOC", kind="association", name="Савез општина"
    )
    Membership.objects.create(municipality=f.a, organisation=f.association)
    f.alice, f.bob, f.charlie, f.dana = (f.user(n) for n in ("alice", "bob", "charlie", "dana"))
    f.admin = User.objects.create_superuser(
        "admin@example.org", "test-password-123", full_name="Admin"
    )
    MunicipalRole.objects.create(user=f.alice, municipality=f.a, role="coordinator")
    MunicipalRole.objects.create(user=f.bob, municipality=f.a, role="assessor")
    MunicipalRole.objects.create(user=f.charlie, municipality=f.b, role="staff")
    OrganisationRole.objects.create(
        user=f.dana, organisation=f.association, role="network_coordinator"
    )
    return f


@pytest.fixture
def caf(db):
    """The CAF 2020 framework as shipped."""
    from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR
    from mreza.assessment.services import install_framework

    return install_framework(FRAMEWORKS_DIR / "caf2020.yaml")[0]
