"""The public library of good practices (no login): the list with search and filters, the map.

The practice page, its print view and its files are in `public_detail.py`. The filter choices
(countries, regions, areas, SDGs, years, languages present in the library) are cached per
language under the library's version (`search.library_version`, bumped by every change).
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from mreza.assessment.models import Subcriterion
from mreza.core.access import published_practices
from mreza.core.templatetags.mreza import localized, script
from mreza.maps import available_countries, render_map
from mreza.practices import search, snippets
from mreza.practices.models import Practice
from mreza.practices.sdgs import sdg_label
from mreza.registry import choices as registry_choices
from mreza.registry.models import Municipality
from mreza.registry.pagecache import first_pages, public_page
from mreza.registry.templatetags.places import place_name

PAGE_SIZE = 20
# a search counts its matches up to this many (see search.count_matches); the pages go that far
COUNT_CAP = 500
CHOICES_TIMEOUT = 3600

# Municipality size by population: (key, label, lowest, highest)
SIZES = (
    ("s", gettext_lazy("under 5,000 inhabitants"), 0, 4999),
    ("m", gettext_lazy("5,000 to 20,000 inhabitants"), 5000, 19999),
    ("l", gettext_lazy("20,000 to 100,000 inhabitants"), 20000, 99999),
    ("xl", gettext_lazy("100,000 inhabitants or more"), 100000, None),
)

SORTS = (
    ("", pgettext_lazy("sort order", "most relevant first")),
    ("newest", pgettext_lazy("sort order", "newest first")),
)


def language_name(code):
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


# ------------------------------------------------------------------------------ choices


def filter_choices():
    """What the filters offer: only values that published practices have (cached)."""
    key = f"mreza:practices:choices:{search.library_version()}:{get_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = _build_choices()
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


def _build_choices():
    published = published_practices(Practice.objects.all()).order_by()
    places = published.values_list(
        "municipality__country_id", "municipality__region__code", "municipality__region__name"
    ).distinct()
    known = registry_choices.countries_by_id()
    countries, regions = {}, {}
    for country_id, region_code, region_name in places:
        country = known[country_id]
        countries[country.code] = country.name
        regions[region_code] = str(place_name(region_name, country))
    areas = (
        Subcriterion.objects.filter(
            pk__in=Practice.areas.through.objects.filter(practice__in=published).values(
                "subcriterion_id"
            )
        )
        .select_related("criterion")
        .order_by("criterion__position", "position")
    )
    area_choices, seen_criteria = [], set()
    for sub in areas:
        if sub.criterion_id not in seen_criteria:
            seen_criteria.add(sub.criterion_id)
            title = localized(sub.criterion.title)
            area_choices.append((f"c{sub.criterion_id}", f"{sub.criterion.code} {title}"))
        area_choices.append((f"s{sub.pk}", f"— {sub.code} {localized(sub.title)}"))
    sdgs = set()
    for codes in published.values_list("sdg_codes", flat=True).distinct():
        sdgs.update(int(c) for c in codes.strip(",").split(",") if c.isdigit())
    years = sorted(
        {y for y in published.values_list("year", flat=True).distinct() if y}, reverse=True
    )
    languages = sorted(set(published.values_list("language", flat=True).distinct()))
    return {
        "countries": sorted(countries.items(), key=lambda item: item[1]),
        "regions": sorted(regions.items(), key=lambda item: item[1]),
        "areas": area_choices,
        "sdgs": [(str(n), sdg_label(n)) for n in sorted(sdgs)],
        "years": [(str(y), str(y)) for y in years],
        "languages": [(code, language_name(code)) for code in languages],
    }


# ------------------------------------------------------------------------------ filters


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    size = forms.ChoiceField(label=gettext_lazy("Municipality size"), required=False)
    sdg = forms.ChoiceField(label=gettext_lazy("Sustainable Development Goal"), required=False)
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Order"), required=False, choices=SORTS)
    # set by the map's links; no field of its own in the form
    municipality = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        self.fields["area"].choices = anything + choices["areas"]
        self.fields["country"].choices = anything + choices["countries"]
        self.fields["region"].choices = anything + choices["regions"]
        self.fields["size"].choices = anything + [(key, label) for key, label, *_r in SIZES]
        self.fields["sdg"].choices = anything + choices["sdgs"]
        self.fields["year"].choices = anything + choices["years"]
        self.fields["language"].choices = anything + choices["languages"]

    def filter(self, practices):
        data = self.cleaned_data
        area = data.get("area") or ""
        if area[:1] == "c":
            links = Practice.areas.through.objects.filter(subcriterion__criterion_id=area[1:])
            practices = practices.filter(pk__in=links.values("practice_id"))
        elif area[:1] == "s":
            links = Practice.areas.through.objects.filter(subcriterion_id=area[1:])
            practices = practices.filter(pk__in=links.values("practice_id"))
        if data.get("country"):
            practices = practices.filter(municipality__country__code=data["country"])
        if data.get("region"):
            practices = practices.filter(
                Q(municipality__region__code=data["region"])
                | Q(municipality__region__parent__code=data["region"])
            )
        if data.get("size"):
            low, high = next((lo, hi) for key, _l, lo, hi in SIZES if key == data["size"])
            practices = practices.filter(municipality__population__gte=low)
            if high is not None:
                practices = practices.filter(municipality__population__lte=high)
        if data.get("sdg"):
            practices = practices.filter(sdg_codes__contains=f",{int(data['sdg'])},")
        if data.get("year"):
            practices = practices.filter(year=int(data["year"]))
        if data.get("language"):
            practices = practices.filter(language=data["language"])
        if data.get("municipality"):
            practices = practices.filter(municipality__code=data["municipality"])
        return practices


# ------------------------------------------------------------------------------ list


# what a card reads (the page query leaves the long texts out; a search adds three for its page)
CARD_FIELDS = (
    "id",
    "title",
    "summary",
    "year",
    "sdg_codes",
    "language",
    "status",
    "published_at",
    "municipality__name",
    "municipality__code",
    "municipality__country__code",
    "municipality__country__name",
    "municipality__country__name_language",
)


def library_queryset():
    """Published practices with what a card shows, newest first."""
    return (
        published_practices(Practice.objects.all())
        .select_related("municipality__country")
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "areas",
                queryset=Subcriterion.objects.only("id", "code", "title", "criterion_id"),
            )
        )
        .order_by("-published_at", "-id")
    )


# the library's first pages without filters or search, until the library changes
@public_page(search.LIBRARY, registry_choices.MUNICIPALITIES, key=first_pages)
def practice_list(request):
    choices = filter_choices()
    form = LibraryFilterForm(request.GET or None, choices=choices)
    practices = library_queryset()
    query, sort = "", ""
    if form.is_bound and form.is_valid():
        practices = form.filter(practices)
        query, sort = form.cleaned_data["q"].strip(), form.cleaned_data["sort"]
    page, total, terms = library_page(practices, query, sort, request.GET.get("page"))
    if terms:
        # the body texts only for the page's rows: the list query leaves them out
        _attach_bodies(page.object_list)
    context = {
        "form": form,
        "page": page,
        "cards": [_card(practice, terms) for practice in page.object_list],
        "query": query,
        "searching": bool(terms),
        "total": total,
        "more_than": COUNT_CAP if total > COUNT_CAP else None,
    }
    template = "practices/public/list.html"
    if request.htmx and request.htmx.target == "library-results":
        template = "practices/public/_results.html"
    return render(request, template, context)


def library_page(practices, query, sort, number):
    """One page of `practices` (filtered already), searched for `query` if it has words: the
    page, how many match (up to COUNT_CAP + 1 for a search) and the folded query terms. The
    search benchmark calls this too."""
    terms = search.query_terms(query)
    if terms:
        total = search.count_matches(practices, query, COUNT_CAP)
        practices = search.search(practices, query)
        if sort == "newest":
            practices = practices.order_by("-published_at", "-id")
    else:
        total = _cached_count(practices)
    paginator = Paginator(practices, PAGE_SIZE)
    paginator.count = min(total, COUNT_CAP) if terms else total  # no second COUNT(*)
    return paginator.get_page(number), total, terms


def _cached_count(practices):
    """The number of practices a filter leaves, kept until the library changes (counting the
    whole library reads every row)."""
    sql, params = practices.order_by().values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    key = f"mreza:practices:count:{search.library_version()}:{digest}"
    total = cache.get(key)
    if total is None:
        total = practices.count()
        cache.set(key, total, CHOICES_TIMEOUT)
    return total


def _attach_bodies(practices):
    rows = Practice.objects.filter(pk__in=[p.pk for p in practices]).values(
        "pk", "problem", "actions", "results"
    )
    bodies = {row["pk"]: row for row in rows}
    for practice in practices:
        body = bodies.get(practice.pk, {})
        for name in ("problem", "actions", "results"):
            setattr(practice, name, body.get(name, ""))


def _card(practice, terms):
    """What a result card shows; title and snippet marked when searching (in the reader's
    script before marking, so that the transliteration never touches the marks)."""
    title = script(practice.title)
    if terms:
        texts = [
            script(practice.summary),
            script(practice.problem),
            script(strip_tags(practice.actions)),
            script(practice.results),
        ]
        title_html = snippets.highlight(title, terms)
        text_html = snippets.best_snippet(texts, terms)
    else:
        title_html = snippets.highlight(title, ())
        text_html = snippets.snippet(script(practice.summary), ())
    municipality = practice.municipality
    return {
        "practice": practice,
        "title_html": mark_safe(title_html),  # noqa: S308 - escaped by snippets
        "text_html": mark_safe(text_html),  # noqa: S308 - escaped by snippets
        "municipality": place_name(municipality.name, municipality.country),
        "country": municipality.country,
        "areas": [
            {"code": area.code, "title": localized(area.title)} for area in practice.areas.all()
        ],
        "sdgs": practice.sdgs,
    }


# ------------------------------------------------------------------------------ map


def practice_map(request):
    """Municipalities with published practices; a point's size is the number of practices."""
    codes = _map_countries()
    selected = (request.GET.get("country") or "").upper()
    if selected not in codes:
        selected = codes[0] if codes else ""
    key = f"mreza:practices:map:{search.library_version()}:{get_language()}:{selected}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = _draw_map(selected) if selected else {"svg": "", "count": 0, "unplaced": []}
        cache.set(key, drawn, CHOICES_TIMEOUT)
    countries = [c for c in filter_choices()["countries"] if c[0] in codes]
    context = {"countries": countries, "selected": selected, **drawn}
    return render(request, "practices/public/map.html", context)


def _map_countries():
    available = available_countries()
    return sorted(code for code, _name in filter_choices()["countries"] if code in available)


def _draw_map(country_code):
    rows = (
        Municipality.objects.filter(
            country__code=country_code,
            practices__in=published_practices(Practice.objects.all()),
        )
        .annotate(count=Count("practices"))
        .select_related("country")
        .order_by("name")
    )
    points, unplaced = [], []
    for m in rows:
        label = str(place_name(m.name, m.country))
        if m.latitude is None or m.longitude is None:
            unplaced.append({"code": m.code, "name": label, "count": m.count})
            continue
        points.append(
            {
                "id": m.code,
                "lat": m.latitude,
                "lon": m.longitude,
                "label": _("%(name)s: %(count)s") % {"name": label, "count": m.count},
                "url": f"{reverse('practices:list')}?municipality={m.code}",
                "kind": "practice",
                "size": m.count,
            }
        )
    svg = map_svg(
        points,
        (country_code,),
        title=_("Map of good practices"),
        desc=_("Each point is a municipality with good practices; select one to list them."),
        width=900,
    )
    return {"svg": svg, "count": len(points), "unplaced": unplaced}


def map_svg(points, countries, *, title, desc, **options):
    labels = {
        "title": title,
        "desc": desc,
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "reset": _("Reset view"),
    }
    return render_map(
        points,
        countries=countries,
        labels=labels,
        tile_url=settings.MREZA_MAP_TILE_URL or None,
        **options,
    )
