from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mreza.core.audit import AuditedModel
from mreza.registry import search_index
from mreza.text import bg_to_lat, cyr_to_lat, fold, search_key

# Country names are UI vocabulary (translated), not user data.
COUNTRY_NAMES = {
    "BA": _("Bosnia and Herzegovina"),
    "RS": _("Serbia"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "XX": _("Synthetic country"),
}


class Country(AuditedModel):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    name = models.CharField(_("name"), max_length=100)
    # Language whose rules transliterate this country's Cyrillic names (sr or bg).
    name_language = models.CharField(_("language of official names"), max_length=8, default="sr")

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return str(COUNTRY_NAMES.get(self.code, self.name))


class Region(AuditedModel):
    class Kind(models.TextChoices):
        ENTITY = "entity", _("entity")
        CANTON = "canton", _("canton")
        DISTRICT = "district", pgettext_lazy("region kind", "district")
        PROVINCE = "province", _("autonomous province")
        OKRUG = "okrug", _("administrative district (okrug)")
        OBLAST = "oblast", _("province (oblast)")
        CITY = "city", pgettext_lazy("region kind", "city")
        STATISTICAL = "statistical", _("statistical region")

    country = models.ForeignKey(
        Country, models.PROTECT, related_name="regions", verbose_name=_("country")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country__code", "name"]

    def __str__(self):
        return self.name


class Organisation(AuditedModel):
    """An association of municipalities, a field office, a ministry or training unit, the
    platform."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("association of municipalities")
        FIELD_OFFICE = "field_office", _("field office")
        MINISTRY = "ministry", _("ministry or training unit")
        PLATFORM = "platform", _("platform operator")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PopulationKind(models.TextChoices):
    CENSUS = "census", _("census")
    ESTIMATE = "estimate", _("official estimate")


class MunicipalityQuerySet(models.QuerySet):
    def for_directory(self):
        return self.select_related("country", "region", "region__parent", "part_of")

    def population_total(self):
        """Sum of the figures without counting a city and its city municipalities twice:
        a unit whose city is in the same selection is left out (the city holds its figure)."""
        inner = self.order_by().values("pk")
        total = self.order_by().exclude(part_of__in=inner).aggregate(total=models.Sum("population"))
        return total["total"]

    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )

    def search(self, query):
        """Script-, case- and diacritic-insensitive: every word of the query must match."""
        from django.db.models.expressions import RawSQL

        qs = self
        fts = search_index.uses_fts(self.db)
        for token in fold(query).split():
            # PostgreSQL answers this LIKE from the trigram index (search_index.py)
            qs = qs.filter(search_key__contains=token)
            if fts and len(token) >= search_index.MIN_INDEXED:
                # SQLite: candidates from the FTS5 trigram table; the LIKE above keeps it exact
                # the SQL is a constant; the token is a parameter
                match = RawSQL(  # noqa: S611
                    search_index.sqlite_match_sql(), [search_index.fts_phrase(token)]
                )
                qs = qs.filter(pk__in=match)
        return qs


class Municipality(AuditedModel):
    class Type(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        CITY = "city", pgettext_lazy("municipality type", "city")
        CITY_MUNICIPALITY = "city_municipality", _("city municipality")
        DISTRICT = "district", pgettext_lazy("municipality type", "district")

    code = models.CharField(_("code"), max_length=40, unique=True)
    country = models.ForeignKey(
        Country, models.PROTECT, related_name="municipalities", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    part_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of city"),
    )
    name = models.CharField(_("official name"), max_length=200, help_text=_("In its own script."))
    type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.MUNICIPALITY
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    census_year = models.PositiveSmallIntegerField(_("census year"), null=True, blank=True)
    # Every figure is a fact with a kind, a reference date and a source.
    population_kind = models.CharField(
        _("kind of population figure"), max_length=10, choices=PopulationKind.choices, blank=True
    )
    population_date = models.DateField(_("reference date of the population"), null=True, blank=True)
    population_source = models.CharField(_("source of the population"), max_length=300, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("about the municipality"),
        blank=True,
        help_text=_("Written by the municipality; shown to everyone."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    memberships = models.ManyToManyField(
        Organisation,
        through="Membership",
        related_name="member_municipalities",
        blank=True,
        verbose_name=_("memberships"),
    )
    # Folded name in both scripts, for search (kept in step by save()).
    search_key = models.CharField(max_length=600, editable=False, db_index=True, default="")
    # Optimistic lock: every edit must name the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MunicipalityQuerySet.as_manager()

    audit_scope_field = "id"

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "type"]),
            models.Index(fields=["population"]),
            # the directory's and the map's sort orders, alone and within a country
            models.Index(fields=["name", "id"], name="registry_mun_name_id"),
            models.Index(fields=["country", "name", "id"], name="registry_mun_country_name"),
            # a city's units (profile, population_total)
            models.Index(fields=["part_of", "name"], name="registry_mun_part_of_name"),
        ]
        # Search: a trigram GIN index on search_key (PostgreSQL, migration 0003) and an FTS5
        # trigram table on SQLite (kept by triggers, see registry/search_index.py).

    def __str__(self):
        return self.name

    @property
    def name_latin(self):
        if self.country_id and getattr(self.country, "name_language", "sr") == "bg":
            return bg_to_lat(self.name)
        return cyr_to_lat(self.name)

    @property
    def population_year(self):
        if self.population_date:
            return self.population_date.year
        return self.census_year

    def compute_search_key(self):
        parts = [self.name, self.name_latin, self.code]
        return search_key(" ".join(parts))[:600]

    def save(self, *args, **kwargs):
        self.search_key = self.compute_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = set(update_fields) | {"search_key"}
        super().save(*args, **kwargs)


class Membership(AuditedModel):
    municipality = models.ForeignKey(Municipality, models.CASCADE, verbose_name=_("municipality"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, verbose_name=_("organisation"))
    since = models.DateField(_("member since"), null=True, blank=True)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organisation"], name="unique_membership"
            )
        ]

    def __str__(self):
        return f"{self.municipality} – {self.organisation}"
