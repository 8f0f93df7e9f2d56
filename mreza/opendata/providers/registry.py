"""The registry: countries, regions and municipalities (public facts, as on the directory)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mreza.opendata.providers.base import (
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    Dataset,
    Field,
)
from mreza.registry.models import Country, Municipality, Region


def _countries():
    with translation.override("en"):
        for country in Country.objects.order_by("code"):
            yield (country.code, str(country), country.name_language)


def _regions():
    yield from Region.objects.order_by("country__code", "code").values_list(
        "code", "name", "kind", "country__code", "parent__code"
    )


def _municipalities():
    rows = Municipality.objects.select_related("country", "region", "part_of").order_by("code")
    for m in rows.iterator(chunk_size=2000):
        yield (
            m.code,
            m.name,
            m.name_latin,
            m.type,
            m.country.code,
            m.region.code,
            m.part_of.code if m.part_of_id else "",
            m.population,
            m.census_year,
            m.population_kind,
            m.population_date,
            m.population_source,
            m.area_km2,
            m.latitude,
            m.longitude,
            m.website,
            m.valid_from,
            m.valid_to,
        )


COUNTRIES = Dataset(
    "countries",
    _("Countries"),
    _("The countries whose municipalities are in the registry."),
    (
        Field("code", STRING, _("ISO 3166-1 alpha-2 code")),
        Field("name", STRING, _("Name in English")),
        Field("name_language", STRING, _("Language whose rules write its Cyrillic names in Latin")),
    ),
    _countries,
)

REGIONS = Dataset(
    "regions",
    _("Regions"),
    _("Entities, cantons, districts, provinces and other units between country and municipality."),
    (
        Field("code", STRING, _("Code of the region")),
        Field("name", STRING, _("Name as officially written")),
        Field("kind", STRING, _("Kind: entity, canton, district, province, okrug, oblast, ...")),
        Field("country", STRING, _("Country code (see countries.csv)")),
        Field("parent", STRING, _("Code of the region it is part of, if any")),
    ),
    _regions,
)

MUNICIPALITIES = Dataset(
    "municipalities",
    _("Municipalities"),
    _("Every municipality and city in the registry, also those no longer current."),
    (
        Field("code", STRING, _("Code of the municipality, stable")),
        Field("name", STRING, _("Official name in its own script")),
        Field("name_latin", STRING, _("The name in Latin script")),
        Field("type", STRING, _("Kind: municipality, city, city municipality or district")),
        Field("country", STRING, _("Country code (see countries.csv)")),
        Field("region", STRING, _("Region code (see regions.csv)")),
        Field("part_of", STRING, _("Code of the city it is part of, if any")),
        Field("population", INTEGER, _("Population")),
        Field("census_year", INTEGER, _("Census year of the population")),
        Field("population_kind", STRING, _("Kind of the population figure: census or estimate")),
        Field("population_date", DATE, _("Reference date of the population")),
        Field("population_source", STRING, _("Source of the population")),
        Field("area_km2", NUMBER, _("Area in square kilometres")),
        Field("latitude", NUMBER, _("Latitude of its seat (WGS 84)")),
        Field("longitude", NUMBER, _("Longitude of its seat (WGS 84)")),
        Field("website", STRING, _("Website")),
        Field("valid_from", DATE, _("First day it exists, if known")),
        Field("valid_to", DATE, _("Last day it existed, if it no longer does")),
    ),
    _municipalities,
)
