"""Published good practices: the public library's list with the filters and the search of its
page (/practices/: `views/public.py`, `search.py` — the same full-text search, script- and
diacritic-insensitive), and one practice with what its public page shows. Only validated and
published practices (`access.published_practices`; one practice through `get_or_deny` as an
anonymous visitor): a draft, a submitted or a withdrawn practice is a 404.

Texts are in the practice's `language`; for a Serbian request language in the script it asks
for, as the page shows them (`mreza/api/scripts.py`), else as stored. A fixed number of queries
per request, whatever the number of rows: the page's areas and replication counts come in one
query each."""

from datetime import date, datetime
from enum import StrEnum

import nh3
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.public.common import kept_list, text
from mreza.api.scripts import shown, shown_html, shown_or_none
from mreza.assessment.models import Subcriterion
from mreza.core.access import Perm, anonymous_visitor, get_or_deny, published_practices
from mreza.practices import search
from mreza.practices.models import Practice, Replication, TransferOffer
from mreza.practices.views.public import SIZES
from mreza.practices.views.public_detail import RICH_ATTRIBUTES, RICH_TAGS
from mreza.registry import choices

router = Router(tags=["practices"])

Id = Path(..., ge=1, le=2**63 - 1, description="The practice's id.")


class PracticeSize(StrEnum):
    """Municipality size bands of the portal's filter (inhabitants)."""

    S = "s"
    M = "m"
    L = "l"
    XL = "xl"


class PracticeOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


class PracticeMunicipality(Schema):
    code: str
    name: str = Field(description="Official name, in its own script.")


class PracticeListItem(Schema):
    id: int
    title: str
    summary: str
    municipality: PracticeMunicipality
    country: str = Field(description="Country code.")
    language: str = Field(description="The language (and script) the practice is written in.")
    year: int | None = Field(description="The year the results were achieved.")
    areas: list[str] = Field(description="Codes of the framework subcriteria it addresses.")
    sdgs: list[int] = Field(description="Sustainable Development Goals, 1 to 17.")
    transferability: str = Field(description="`high`, `medium` or `low`.")
    published_at: datetime | None
    revision: int = Field(description="Number of the published revision shown.")
    url: str = Field(description="The practice's public page.")
    replications: int = Field(description="Municipalities recorded as having adopted it.")


class PracticeArea(Schema):
    code: str
    title: str = Field(description="In the request's language.")
    criterion: str = Field(description="Code of its criterion.")


class PracticeFigure(Schema):
    label: str
    unit: str
    before: float
    after: float
    before_year: int | None
    after_year: int | None


class PracticeCosts(Schema):
    text: str
    amount: float | None
    currency: str


class PracticeContact(Schema):
    name: str
    email: str = Field(description="Empty when the practice gives none.")
    phone: str = Field(description="Empty when the practice gives none.")


class PracticeRevisionOut(Schema):
    number: int
    published_at: datetime
    note: str


class PracticeReplicationOut(Schema):
    municipality: str = Field(description="Code of the municipality that adopted it.")
    name: str
    year: int
    note: str


class PracticeTransferOffer(Schema):
    open: bool = Field(description="Whether other municipalities may ask for help now.")
    description: str


class PracticeFile(Schema):
    kind: str = Field(description="`photo` or `document`.")
    name: str
    content_type: str
    size: int
    caption: str
    url: str


class PracticeDetail(PracticeListItem):
    problem: str
    actions_html: str = Field(description="What was done: sanitised HTML (a small allow-list).")
    results: str
    figures: list[PracticeFigure] = Field(description="Measured results, before and after.")
    costs: PracticeCosts
    prerequisites: str = Field(description="What a municipality needs to adopt it.")
    contact: PracticeContact
    network: str | None = Field(description="Title of the thematic network it came from.")
    area_details: list[PracticeArea]
    started_on: date | None
    ended_on: date | None
    updated_at: datetime
    revisions: list[PracticeRevisionOut] = Field(description="Newest first.")
    adopted_by: list[PracticeReplicationOut]
    transfer_offer: PracticeTransferOffer | None
    files: list[PracticeFile] = Field(description="Photos and documents.")


class PracticeFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Full-text search, ranked, in either script and without diacritics "
        "(`upravljanje otpadom` finds what `управљање отпадом` finds); the last word may be "
        "a prefix.",
    )
    area: str | None = Field(
        None,
        max_length=20,
        description="A subcriterion code (e.g. `1.1`), or a criterion code for all of its own.",
    )
    country: str | None = Field(None, min_length=2, max_length=2, description="Country code.")
    region: str | None = Field(
        None, max_length=40, description="Region code (its sub-regions included)."
    )
    municipality: str | None = Field(None, max_length=40, description="Municipality code.")
    size: PracticeSize | None = Field(
        None,
        description="Municipality size: `s` under 5,000 inhabitants, `m` 5,000–19,999, "
        "`l` 20,000–99,999, `xl` 100,000 or more.",
    )
    population_min: int | None = Field(None, ge=0, le=2_000_000_000)
    population_max: int | None = Field(None, ge=0, le=2_000_000_000)
    sdg: int | None = Field(None, ge=1, le=17, description="A Sustainable Development Goal.")
    year: int | None = Field(None, ge=1990, le=2100)
    language: str | None = Field(None, max_length=10, description="e.g. `sr`, `bs`, `hr`, `bg`.")
    order: PracticeOrder | None = Field(
        None, description="`relevance` (the default with `q`) or `newest` (the default without)."
    )


# ------------------------------------------------------------------------------ list

LIST_FIELDS = (
    "id",
    "title",
    "summary",
    "language",
    "year",
    "sdg_codes",
    "transferability",
    "published_at",
    "revision",
    "municipality__code",
    "municipality__name",
    "municipality__country__code",
)


def _published():
    return published_practices(Practice.objects.all())


def _filtered(filters: PracticeFilters):
    rows = _published()
    if filters.area:
        areas = Subcriterion.objects.filter(
            Q(code=filters.area) | Q(criterion__code=filters.area)
        ).values("pk")
        links = Practice.areas.through.objects.filter(subcriterion_id__in=areas)
        rows = rows.filter(pk__in=links.values("practice_id"))
    if filters.country:
        rows = rows.filter(municipality__country__code=filters.country.upper())
    if filters.region:
        rows = rows.filter(
            Q(municipality__region__code=filters.region)
            | Q(municipality__region__parent__code=filters.region)
        )
    if filters.municipality:
        rows = rows.filter(municipality__code=filters.municipality)
    if filters.size:
        low, high = next((lo, hi) for key, _label, lo, hi in SIZES if key == filters.size)
        rows = rows.filter(municipality__population__gte=low)
        if high is not None:
            rows = rows.filter(municipality__population__lte=high)
    if filters.population_min is not None:
        rows = rows.filter(municipality__population__gte=filters.population_min)
    if filters.population_max is not None:
        rows = rows.filter(municipality__population__lte=filters.population_max)
    if filters.sdg:
        rows = rows.filter(sdg_codes__contains=f",{filters.sdg},")
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.language:
        rows = rows.filter(language=filters.language)
    return rows


def _ordered(rows, filters: PracticeFilters):
    """The page's search (ranked) when `q` has words, newest first otherwise or on request."""
    if search.query_terms(filters.q or ""):
        rows = search.search(rows, filters.q or "")
        if filters.order != PracticeOrder.NEWEST:
            return rows
    return rows.order_by("-published_at", "-id")


def _areas():
    return Prefetch("areas", queryset=Subcriterion.objects.only("id", "code").order_by("code"))


def practice_url(request, pk: int) -> str:
    return request.build_absolute_uri(reverse("practices:detail", args=[pk]))


def _replication_counts(ids: list[int]) -> dict[int, int]:
    rows = (
        Replication.objects.filter(practice_id__in=ids)
        .values("practice_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["practice_id"]: row["n"] for row in rows}


def list_item(request, practice: Practice, replications: int) -> dict:
    municipality = practice.municipality
    return {
        "id": practice.pk,
        "title": shown(practice.title),
        "summary": shown(practice.summary),
        "municipality": {"code": municipality.code, "name": municipality.name},
        "country": municipality.country.code,
        "language": practice.language,
        "year": practice.year,
        "areas": sorted({area.code for area in practice.areas.all()}),
        "sdgs": practice.sdgs,
        "transferability": practice.transferability,
        "published_at": practice.published_at,
        "revision": practice.revision,
        "url": practice_url(request, practice.pk),
        "replications": replications,
    }


@router.get(
    "/practices",
    response=Page[PracticeListItem],
    summary="Published good practices",
    description="The public library: filter by area, country, region, municipality, size or "
    "population, SDG, year and language; `q` searches the full text as the portal does.",
)
def practices(request, params: Query[PageParams], filters: Query[PracticeFilters]):
    def build():
        rows = (
            _ordered(_filtered(filters), filters)
            .select_related("municipality__country")
            .only(*LIST_FIELDS)
            .prefetch_related(_areas())
        )
        page = paginate(request, rows, params)
        shown = page["results"]
        counts = _replication_counts([p.pk for p in shown])
        page["results"] = [list_item(request, p, counts.get(p.pk, 0)) for p in shown]
        return page

    # the library's scope follows practices, their figures, areas, adoptions and the
    # municipalities' names (practices/search.py)
    return kept_list(
        request,
        "practices",
        params,
        filters,
        build,
        search.LIBRARY,
        choices.MUNICIPALITIES,
        schema=Page[PracticeListItem],
    )


# ------------------------------------------------------------------------------ one practice


def sanitised(html: str) -> str:
    """The rich text as the public page lets it through (the same allow-list), as stored."""
    return nh3.clean(
        html or "",
        tags=RICH_TAGS,
        attributes=RICH_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _offer(practice: Practice) -> dict | None:
    try:
        offer = practice.transfer_offer
    except TransferOffer.DoesNotExist:
        return None
    return {"open": offer.is_open, "description": shown(offer.description)}


def _files(request, practice: Practice) -> list[dict]:
    return [
        {
            "kind": a.kind,
            "name": a.name,
            "content_type": a.content_type,
            "size": a.size,
            "caption": shown(a.caption),
            "url": request.build_absolute_uri(reverse("practices:file", args=[practice.pk, a.pk])),
        }
        for a in practice.attachments.order_by("kind", "position", "id")
    ]


def _figure(f) -> dict:
    return {
        "label": shown(f.label),
        "unit": shown(f.unit),
        "before": float(f.before),
        "after": float(f.after),
        "before_year": f.before_year,
        "after_year": f.after_year,
    }


def detail_out(request, practice: Practice) -> dict:
    areas = list(
        practice.areas.select_related("criterion").order_by("criterion__position", "position")
    )
    replications = list(practice.replications.select_related("municipality").order_by("-year"))
    out = list_item(request, practice, len(replications))
    out["areas"] = sorted({area.code for area in areas})
    out |= {
        "problem": shown(practice.problem),
        "actions_html": shown_html(sanitised(practice.actions)),
        "results": shown(practice.results),
        "figures": [_figure(f) for f in practice.figures.order_by("position", "id")],
        "costs": {
            "text": shown(practice.costs),
            "amount": None if practice.cost_amount is None else float(practice.cost_amount),
            "currency": practice.cost_currency,
        },
        "prerequisites": shown(practice.prerequisites),
        # what the public page's "Contact" shows: the name, and e-mail and phone when given
        "contact": {
            "name": shown(practice.contact_name),
            "email": practice.contact_email,
            "phone": practice.contact_phone,
        },
        "network": shown_or_none(practice.network.title if practice.network else None),
        "area_details": [
            {"code": a.code, "title": text(a.title), "criterion": a.criterion.code} for a in areas
        ],
        "started_on": practice.started_on,
        "ended_on": practice.ended_on,
        "updated_at": practice.updated_at,
        "revisions": [
            {"number": r.number, "published_at": r.published_at, "note": shown(r.note)}
            for r in practice.revisions.order_by("-number")
        ],
        "adopted_by": [
            {
                "municipality": r.municipality.code,
                "name": r.municipality.name,
                "year": r.year,
                "note": shown(r.note),
            }
            for r in replications
        ],
        "transfer_offer": _offer(practice),
        "files": _files(request, practice),
    }
    return out


@router.get(
    "/practices/{practice_id}",
    response={200: PracticeDetail, 404: Error},
    summary="One published good practice",
    description="Everything its public page shows. A practice not (or no longer) published "
    "is a 404.",
)
def practice(request, practice_id: int = Id):
    rows = _published().select_related("municipality__country", "network")
    found = get_or_deny(anonymous_visitor(), Perm.VIEW, rows, pk=practice_id)
    return detail_out(request, found)
