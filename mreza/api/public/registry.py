"""The registry: countries, regions, municipalities (by code). Registry facts are public (the
policy's rule for a municipality: anybody may VIEW it); a single municipality is looked up
through `access.get_or_deny` like the profile page."""

from datetime import date
from enum import StrEnum

from django.db.models import F, Q
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.public.common import kept_list
from mreza.api.scripts import shown
from mreza.core.access import Perm, anonymous_visitor, get_or_deny
from mreza.registry import choices
from mreza.registry.models import Country, Municipality, Region

router = Router(tags=["registry"])

Code = Path(
    ...,
    min_length=1,
    max_length=40,
    description="The municipality's code.",
    examples=["BA-BANJA-LUKA"],
)


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str = Field(description="In the request's language.")
    official_name: str
    name_language: str = Field(description="The language of its places' official names.")


class RegionOut(Schema):
    code: str
    kind: str
    name: str
    country: str = Field(description="Country code.")
    parent: str | None = Field(description="Code of the region it is part of.")


class MunicipalityOut(Schema):
    code: str
    name: str = Field(description="Official name, in its own script.")
    name_latin: str
    type: str
    country: str = Field(description="Country code.")
    region: str = Field(description="Region code.")
    part_of: str | None = Field(description="Code of the city it is part of.")
    population: int | None
    population_kind: str = Field(description="`census`, `estimate`, or empty when not known.")
    population_year: int | None
    population_date: date | None
    population_source: str
    area_km2: float | None
    latitude: float | None
    longitude: float | None
    website: str
    valid_from: date | None
    valid_to: date | None


class MunicipalityDetail(MunicipalityOut):
    description: str = Field(
        description="Written by the municipality; Serbian in the requested script."
    )


class RegionFilters(Schema):
    country: str | None = Field(None, min_length=2, max_length=2, description="Country code.")
    kind: Region.Kind | None = None
    parent: str | None = Field(None, max_length=40, description="Code of the parent region.")


class MunicipalityOrder(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    CODE = "code"
    CODE_DESC = "-code"
    POPULATION = "population"
    POPULATION_DESC = "-population"


class MunicipalityFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        description="Words of the name or code, in either script, without diacritics or case.",
    )
    country: str | None = Field(None, min_length=2, max_length=2, description="Country code.")
    region: str | None = Field(
        None, max_length=40, description="Region code (its sub-regions included)."
    )
    type: Municipality.Type | None = None
    population_min: int | None = Field(None, ge=0, le=2_000_000_000)
    population_max: int | None = Field(None, ge=0, le=2_000_000_000)
    order: MunicipalityOrder = Field(
        MunicipalityOrder.NAME, description="Sort order; unknown populations come last."
    )


def country_out(country: Country) -> dict:
    return {
        "code": country.code,
        "name": str(country),
        "official_name": country.name,
        "name_language": country.name_language,
    }


@router.get("/countries", response=Page[CountryOut], summary="Countries")
def countries(request, params: Query[PageParams]):
    return paginate(request, Country.objects.order_by("code"), params, country_out)


@router.get("/regions", response=Page[RegionOut], summary="Regions")
def regions(request, params: Query[PageParams], filters: Query[RegionFilters]):
    rows = (
        Region.objects.values("code", "kind", "name", country_code=F("country__code"))
        .annotate(parent_code=F("parent__code"))
        .order_by("country__code", "name", "id")
    )
    if filters.country:
        rows = rows.filter(country__code=filters.country.upper())
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.parent:
        rows = rows.filter(parent__code=filters.parent)
    return paginate(request, rows, params, _region_row)


def _region_row(row: dict) -> dict:
    return {
        "code": row["code"],
        "kind": row["kind"],
        "name": row["name"],
        "country": row["country_code"],
        "parent": row["parent_code"],
    }


def municipality_out(m: Municipality, *, detail: bool = False) -> dict:
    out = {
        "code": m.code,
        "name": m.name,
        "name_latin": m.name_latin,
        "type": m.type,
        "country": m.country.code,
        "region": m.region.code,
        "part_of": m.part_of.code if m.part_of is not None else None,
        "population": m.population,
        "population_kind": m.population_kind,
        "population_year": m.population_year,
        "population_date": m.population_date,
        "population_source": m.population_source,
        "area_km2": float(m.area_km2) if m.area_km2 is not None else None,
        "latitude": m.latitude,
        "longitude": m.longitude,
        "website": m.website,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
    }
    if detail:
        out["description"] = shown(m.description)
    return out


_ORDERS = {
    MunicipalityOrder.NAME: (F("name").asc(), F("id").asc()),
    MunicipalityOrder.NAME_DESC: (F("name").desc(), F("id").desc()),
    MunicipalityOrder.CODE: (F("code").asc(),),
    MunicipalityOrder.CODE_DESC: (F("code").desc(),),
    MunicipalityOrder.POPULATION: (F("population").asc(nulls_last=True), F("id").asc()),
    MunicipalityOrder.POPULATION_DESC: (F("population").desc(nulls_last=True), F("id").asc()),
}


def _filtered(filters: MunicipalityFilters):
    rows = Municipality.objects.all()
    if filters.q and filters.q.strip():
        rows = rows.search(filters.q)
    if filters.country:
        rows = rows.filter(country__code=filters.country.upper())
    if filters.region:
        # a region and its direct children, as the directory (an entity includes its cantons)
        rows = rows.filter(Q(region__code=filters.region) | Q(region__parent__code=filters.region))
    if filters.type:
        rows = rows.filter(type=filters.type)
    if filters.population_min is not None:
        rows = rows.filter(population__gte=filters.population_min)
    if filters.population_max is not None:
        rows = rows.filter(population__lte=filters.population_max)
    return rows.order_by(*_ORDERS[filters.order])


@router.get(
    "/municipalities",
    response=Page[MunicipalityOut],
    summary="Municipalities",
    description="Filter by search words, country, region, type and population range.",
)
def municipalities(request, params: Query[PageParams], filters: Query[MunicipalityFilters]):
    def build():
        rows = _filtered(filters).select_related("country", "region", "part_of")
        return paginate(request, rows, params, municipality_out)

    return kept_list(
        request,
        "municipalities",
        params,
        filters,
        build,
        choices.MUNICIPALITIES,
        choices.REGIONS,
        schema=Page[MunicipalityOut],
    )


@router.get(
    "/municipalities/{code}",
    response={200: MunicipalityDetail, 404: Error},
    summary="One municipality",
)
def municipality(request, code: str = Code):
    found = get_or_deny(
        anonymous_visitor(),
        Perm.VIEW,
        Municipality.objects.select_related("country", "region", "part_of"),
        code=code,
    )
    return municipality_out(found, detail=True)
