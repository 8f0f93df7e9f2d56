import html
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole
from mreza.core.access import Perm, audit_entries_visible_to, get_or_deny, may, require
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.models import AuditEntry
from mreza.core.versioning import EditConflict
from mreza.maps import available_countries, render_map
from mreza.registry import choices, services
from mreza.registry.forms import DirectoryFilterForm, MunicipalityForm
from mreza.registry.models import Country, Membership, Municipality
from mreza.registry.pagecache import first_page, only_params, public_page
from mreza.registry.sections import profile_context
from mreza.registry.templatetags.places import place_name, population_fact, population_short

PAGE_SIZE = 50


# Whole pages kept for anonymous visitors: the landing pages with at most a country and one of
# the first pages (a bounded set); a region, a type, a search or a deep page is rendered as usual
# (with the results fragment cached below).
def _country_or_none(request):
    """The `country` asked for if it is one of the registry's ("" for none), else None."""
    code = request.GET.get("country", "")
    if not code:
        return ""
    return code if code in {c.code for c in choices.countries_by_id().values()} else None


def public_directory_key(request):
    if not only_params(request, {"country", "page"}):
        return None
    country, page = _country_or_none(request), first_page(request)
    return None if country is None or page is None else (country, page)


def public_map_key(request):
    if not only_params(request, {"country"}):
        return None
    country = _country_or_none(request)
    return None if country is None else (country,)


@public_page(choices.MUNICIPALITIES, choices.REGIONS, key=public_directory_key)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    municipalities = Municipality.objects.order_by("name", "id")
    if filters:
        municipalities = form.filter(municipalities)
    totals = _directory_totals(municipalities, filters)
    key = _directory_cache_key(request, form, filters, totals[0])

    def build():
        return _directory_results(request, municipalities, totals)

    results = (
        build() if key is None else choices.cached(choices.MUNICIPALITIES, "directory", build, key)
    )
    if request.htmx and request.htmx.target == "directory-results":
        return HttpResponse(results)
    context = {"form": form, "form_fields": _directory_fields(form), "results": results}
    return render(request, "registry/directory.html", context)


def _directory_fields(form):
    """The filter fields, rendered; the empty form (the landing page) from the cache."""

    def build():
        return render_to_string("registry/_directory_fields.html", {"form": form})

    return build() if form.is_bound else choices.cached(choices.REGIONS, "directory-form", build)


# The choice filters and the page: a bounded set of result lists, worth keeping rendered until
# the registry changes. Free-text search and population ranges (unbounded values) are rendered
# for each request.
_CACHED_DIRECTORY_PARAMS = {"country", "region", "type", "page"}


def _directory_cache_key(request, form, filters, count):
    params = request.GET
    if not set(params) <= _CACHED_DIRECTORY_PARAMS or (form.is_bound and not filters):
        return None
    if any(len(params.getlist(name)) > 1 for name in params):
        return None
    page = params.get("page", "")
    # only the pages that exist: any other number would add an entry per number asked for
    last = max(1, -(-count // PAGE_SIZE))
    canonical = (
        page.isascii() and page.isdigit() and len(page) <= 6 and str(int(page)) == page
    )  # no "007"
    if page and not (canonical and 1 <= int(page) <= last):
        return None
    # the raw values: the pagination links repeat them as given
    return urlencode(sorted(params.items()))


def _directory_results(request, municipalities, totals):
    """The rendered results: count, population, one page of units and the page links."""
    count, population_total = totals
    paginator = Paginator(municipalities.values(*DIRECTORY_COLUMNS), PAGE_SIZE)
    paginator.count = count  # known already: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _directory_rows(page.object_list),
        "population_total": population_total,
        # no context processors: the fragment needs only the query string (its page links)
        "request": request,
    }
    return render_to_string("registry/_directory_results.html", context)


# What a directory row shows; region and country names come from the cached look-ups.
DIRECTORY_COLUMNS = (
    "code",
    "name",
    "type",
    "population",
    "population_kind",
    "population_date",
    "census_year",
    "country_id",
    "region_id",
    "region__parent_id",
    "part_of__name",
)


def _directory_rows(rows):
    """The table rows as HTML, built by joining escaped strings: a template (or format_html) per
    row cost most of a search request. Every text is escaped here (`esc`, what Django's escape
    does); each type, country and population note is worked out once per page."""
    esc = html.escape
    profile_url = reverse("registry:profile", args=["CODE"])
    types = dict(Municipality.Type.choices)
    countries = choices.countries_by_id()
    region_names = choices.region_names()
    unknown = f'<span class="muted">{esc(_("not known"))}</span>'
    memo = {}

    def once(key, compute, *args):
        if key not in memo:
            memo[key] = esc(str(compute(*args)))
        return memo[key]

    out = []
    for row in rows:
        m = SimpleNamespace(**row)  # what the population filters read
        m.population_year = m.population_date.year if m.population_date else m.census_year
        country = countries[m.country_id]
        part_of = (
            f'<span class="muted"> · {esc(place_name(m.part_of__name, country))}</span>'
            if m.part_of__name
            else ""
        )
        parent = region_names.get(m.region__parent_id)
        parent = f'<span class="muted"> · {esc(parent)}</span>' if parent else ""
        if m.population is None:
            population = unknown
        else:
            fact = once(
                ("fact", m.population_kind, m.population_date, m.census_year), population_fact, m
            )
            short = once(("short", m.population_kind, m.population_year), population_short, m)
            population = (
                f'{esc(intcomma(m.population))} <small class="muted" title="{fact}">{short}</small>'
            )
        out.append(
            f'<tr><td><a href="{esc(profile_url.replace("CODE", quote(m.code)))}">'
            f"{esc(place_name(m.name, country))}</a>{part_of}</td>"
            f"<td>{once(('type', m.type), types.get, m.type, m.type)}</td>"
            f"<td>{esc(region_names.get(m.region_id, ''))}{parent}</td>"
            f"<td>{once(('country', m.country_id), str, country)}</td>"
            f'<td class="num">{population}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


def _directory_totals(municipalities, filters):
    """How many units match and their population; cached per filter (not per free-text search,
    whose values are unbounded) until the registry changes."""

    def build():
        # One query for both: the count, and the sum of MunicipalityQuerySet.population_total
        # (a unit whose city is in the same selection is left out: the city holds its figure).
        inner = municipalities.order_by().values("pk")
        totals = municipalities.order_by().aggregate(
            count=Count("pk"), total=Sum("population", filter=~Q(part_of__in=inner))
        )
        return totals["count"], totals["total"] if totals["count"] else None

    if filters.get("q"):
        return build()
    key = ",".join(
        f"{name}={getattr(value, 'code', value)}"
        for name, value in sorted(filters.items())
        if value not in (None, "")
    )
    return choices.cached(choices.MUNICIPALITIES, "directory-totals", build, key)


def _municipality(request, code, perm=Perm.VIEW):
    return get_or_deny(
        request.user,
        perm,
        Municipality.objects.for_directory().select_related("part_of"),
        code=code,
    )


def profile(request, code):
    municipality = _municipality(request, code)
    context = {
        # the self-assessments and profiles: added by the assessment app (registry.sections)
        **profile_context(request, municipality),
        "municipality": municipality,
        # the same for every reader of a language until the registry or a membership changes
        "facts": choices.cached(
            choices.MUNICIPALITIES, "profile-facts", lambda: _profile_facts(municipality), code
        ),
        "can_view_people": may(request.user, Perm.VIEW_PEOPLE, municipality),
        "can_change": may(request.user, Perm.CHANGE, municipality),
        "can_view_history": may(request.user, Perm.VIEW_HISTORY, municipality),
    }
    return render(request, "registry/profile.html", context)


def _profile_facts(municipality):
    """The facts card (memberships, the city's units) and the location map, rendered."""
    memberships = Membership.objects.filter(municipality=municipality).select_related(
        "organisation"
    )
    parts = list(municipality.parts.order_by("name").only("code", "name"))
    point = _map_point(municipality)
    context = {
        "municipality": municipality,
        "memberships": memberships,
        "parts": parts,
        "map_svg": _render_map(
            [point],
            municipality.country.code,
            width=360,
            highlight=point["id"],
            title=_("Location of %(name)s") % {"name": municipality.name},
        )
        if point
        else "",
    }
    return render_to_string("registry/_profile_facts.html", context)


def _map_point(m):
    if m.latitude is None or m.longitude is None:
        return None
    return {
        "id": m.code,
        "lat": m.latitude,
        "lon": m.longitude,
        "label": m.name,
        "url": f"/municipalities/{m.code}/",
        "kind": m.type,
        "size": m.population or 0,
    }


def _render_map(points, country_code, *, title, **options):
    if country_code not in available_countries():
        return ""
    labels = {
        "title": title,
        "desc": _("Each point is a municipality; select one to open its profile."),
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "reset": _("Reset view"),
    }
    return render_map(
        points,
        countries=(country_code,),
        labels=labels,
        tile_url=settings.MREZA_MAP_TILE_URL or None,
        **options,
    )


def _home_country(user, codes):
    """The country of the user's first municipality or organisation, else BA (if it is on offer)."""
    if user.is_authenticated:
        mine = (
            MunicipalRole.objects.filter(user=user)
            .order_by("pk")
            .values_list("municipality__country__code", flat=True)
            .first()
            or OrganisationRole.objects.filter(user=user, organisation__country__isnull=False)
            .order_by("pk")
            .values_list("organisation__country__code", flat=True)
            .first()
        )
        if mine in codes:
            return mine
    return "BA" if "BA" in codes or not codes else codes[0]


def _country_map(country):
    """The rendered map of one country and the units it cannot place (cached until a change)."""
    rows = (
        Municipality.objects.filter(country__code=country.code)
        .only("code", "name", "type", "latitude", "longitude", "population", "country_id")
        .order_by("name")
    )
    points, unplaced = [], []
    for m in rows:
        label = place_name(m.name, country)
        point = _map_point(m)
        if point is None:
            unplaced.append({"code": m.code, "name": label})
            continue
        point["label"] = label
        points.append(point)
    svg = _render_map(points, country.code, width=900, title=_("Map of municipalities"))
    return {"svg": svg, "count": len(points), "unplaced": unplaced}


@public_page(choices.MUNICIPALITIES, choices.REGIONS, key=public_map_key)
def map_view(request):
    codes = choices.map_countries()
    countries = sorted(
        (c for c in choices.countries_by_id().values() if c.code in codes), key=lambda c: c.code
    )
    selected = (request.GET.get("country") or "").upper()
    if selected not in codes:
        selected = _home_country(request.user, codes)
    country = next((c for c in countries if c.code == selected), None)
    drawn = (
        choices.cached(choices.MUNICIPALITIES, "map", lambda: _country_map(country), selected)
        if country
        else {"svg": "", "count": 0, "unplaced": []}
    )
    return render(
        request,
        "registry/map.html",
        {
            "countries": countries,
            "selected": selected,
            "types": Municipality.Type.choices,
            **drawn,
        },
    )


DATA_QUALITY_COLUMNS = [
    # (key, label, condition for "missing")
    ("population", gettext_lazy("Population"), Q(population__isnull=True)),
    (
        "population_facts",
        gettext_lazy("Kind or date of the population figure"),
        Q(population__isnull=False) & (Q(population_kind="") | Q(population_date__isnull=True)),
    ),
    (
        "population_source",
        gettext_lazy("Source of the population figure"),
        Q(population__isnull=False, population_source=""),
    ),
    ("area", gettext_lazy("Area"), Q(area_km2__isnull=True)),
    (
        "coordinates",
        gettext_lazy("Coordinates of the seat"),
        Q(latitude__isnull=True) | Q(longitude__isnull=True),
    ),
    ("website", gettext_lazy("Website"), Q(website="")),
]


@login_required
def data_quality(request):
    """For administrators: how many values are missing, per country and column (nothing is
    invented)."""
    require(request.user, Perm.ADMINISTER)
    aggregates = {"units": Count("id")} | {
        f"missing_{key}": Count("id", filter=condition)
        for key, _label, condition in DATA_QUALITY_COLUMNS
    }
    per_country = (
        Municipality.objects.order_by()
        .values("country__code")
        .annotate(**aggregates)
        .order_by("country__code")
    )
    countries = {c.code: c for c in Country.objects.all()}
    rows = [
        {
            "country": countries[r["country__code"]],
            "units": r["units"],
            "gaps": [r[f"missing_{key}"] for key, _label, _c in DATA_QUALITY_COLUMNS],
        }
        for r in per_country
    ]
    return render(
        request,
        "registry/data_quality.html",
        {
            "rows": rows,
            "columns": [label for _k, label, _c in DATA_QUALITY_COLUMNS],
        },
    )


@login_required
def people(request, code):
    municipality = _municipality(request, code, Perm.VIEW_PEOPLE)
    roles = (
        MunicipalRole.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("user__full_name")
    )
    can_manage = may(request.user, Perm.MANAGE_PEOPLE, municipality)
    invitations = (
        Invitation.objects.filter(
            municipality=municipality, accepted_at__isnull=True
        ).select_related("invited_by")
        if can_manage
        else []
    )
    return render(
        request,
        "registry/people.html",
        {
            "municipality": municipality,
            "roles": roles,
            "can_manage": can_manage,
            "invitations": invitations,
        },
    )


@login_required
def history(request, code):
    municipality = _municipality(request, code, Perm.VIEW_HISTORY)
    # each entry only if the record it describes may be seen now (an unsubmitted score stays hidden)
    entries = audit_entries_visible_to(
        request.user, AuditEntry.objects.filter(municipality_id=municipality.pk)
    ).select_related("actor", "content_type")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "registry/history.html", {"municipality": municipality, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, code):
    municipality = _municipality(request, code, Perm.CHANGE)
    if request.method == "POST":
        form = MunicipalityForm(request.POST, instance=municipality)
        if form.is_valid():
            try:
                services.update_profile(
                    municipality, form.cleaned_data, form.cleaned_data["version"]
                )
            except EditConflict:
                fresh = Municipality.objects.get(pk=municipality.pk)
                form = stale_form(
                    request,
                    lambda data: MunicipalityForm(data, instance=fresh),
                    fresh,
                    _(
                        "Someone else saved this page while you were editing it. Your text is kept "
                        "below; "
                        "compare it with the current version and save again."
                    ),
                )
                return conflict_response(
                    request,
                    "registry/edit.html",
                    {"municipality": fresh, "form": form, "conflict": True},
                )
            messages.success(request, _("Saved."))
            return redirect("registry:profile", code=municipality.code)
    else:
        form = MunicipalityForm(instance=municipality, initial={"version": municipality.version})
    return render(request, "registry/edit.html", {"municipality": municipality, "form": form})
