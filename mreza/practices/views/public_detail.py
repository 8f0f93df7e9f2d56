"""A practice's page, its print view and its files.

Who may open a page is the policy's rule of Perm.VIEW (published: everybody; a draft: its
authors and reviewers). A withdrawn practice that the reader may no longer see answers 410 with
a page saying so, since its address was public once.
"""

import re
from collections import Counter
from decimal import Decimal

import nh3
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mreza.core.access import Perm, get_or_deny, may, published_practices
from mreza.core.templatetags.mreza import localized, script
from mreza.maps import available_countries
from mreza.practices.models import Attachment, Practice
from mreza.practices.sdgs import SDG_NAMES, sdg_label
from mreza.practices.views.panel import workflow_panel
from mreza.practices.views.public import language_name, map_svg
from mreza.registry.templatetags.places import place_name

SIMILAR = 5
SIMILAR_LINKS = 2000
# what a practice's rich text may keep (services clean it on save; this is the second line)
RICH_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "a", "blockquote"}
RICH_ATTRIBUTES = {"a": {"href"}}
# images a browser may show inline; anything else (SVG included: it can carry script) downloads
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
_TAG_OR_ENTITY_RE = re.compile(r"<[^>]*>|&[#\w]+;")


def _practices():
    return Practice.objects.select_related(
        "municipality__country", "municipality__region", "network"
    )


def _withdrawn(request, pk):
    """The 410 page of a withdrawn practice the reader may not open, else None."""
    practice = _practices().filter(pk=pk, status=Practice.Status.WITHDRAWN).first()
    if practice is None or may(request.user, Perm.VIEW, practice):
        return None
    return render(request, "practices/public/withdrawn.html", {"practice": practice}, status=410)


def practice_detail(request, pk):
    gone = _withdrawn(request, pk)
    if gone is not None:
        return gone
    practice = get_or_deny(request.user, Perm.VIEW, _practices(), pk=pk)
    context = _detail_context(practice)
    context.update(workflow_panel(request, practice))
    context["similar"] = similar_practices(practice)
    return render(request, "practices/detail.html", context)


def practice_print(request, pk):
    gone = _withdrawn(request, pk)
    if gone is not None:
        return gone
    practice = get_or_deny(request.user, Perm.VIEW, _practices(), pk=pk)
    return render(request, "practices/public/print.html", _detail_context(practice))


def attachment_download(request, pk, attachment_id):
    """A photo or document, for readers who may open the practice (checked on every request)."""
    practice = get_or_deny(request.user, Perm.VIEW, _practices(), pk=pk)
    attachment = practice.attachments.filter(pk=attachment_id).first()
    if attachment is None or not attachment.file:
        raise Http404
    inline = attachment.kind == Attachment.Kind.PHOTO and attachment.content_type in INLINE_TYPES
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # a draft's files are not for shared caches
    if not practice.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------ context


def _detail_context(practice):
    municipality = practice.municipality
    figures = [_figure(f) for f in practice.figures.order_by("position", "id")]
    attachments = list(practice.attachments.order_by("kind", "position", "id"))
    replications = list(
        practice.replications.select_related("municipality__country").order_by("-year", "id")
    )
    areas = [
        {
            "code": sub.code,
            "title": localized(sub.title),
            "criterion": f"{sub.criterion.code} {localized(sub.criterion.title)}",
        }
        for sub in practice.areas.select_related("criterion").order_by(
            "criterion__position", "position"
        )
    ]
    return {
        "practice": practice,
        "municipality_name": place_name(municipality.name, municipality.country),
        "actions_html": rich_text(practice.actions),
        "figures": figures,
        "photos": [a for a in attachments if a.kind == Attachment.Kind.PHOTO],
        "documents": [a for a in attachments if a.kind != Attachment.Kind.PHOTO],
        "inline_types": INLINE_TYPES,
        "replications": [
            {
                "replication": r,
                "name": place_name(r.municipality.name, r.municipality.country),
            }
            for r in replications
        ],
        "replication_map": _replication_map(practice, replications),
        "revisions": list(practice.revisions.order_by("-number")),
        "areas": areas,
        "sdgs": [{"number": n, "label": sdg_label(n)} for n in practice.sdgs if n in SDG_NAMES],
        "language_name": language_name(practice.language),
    }


def _trim(value):
    """12.5000 → 12.5 and 100.0000 → 100 (normalize() alone would give 1E+2)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) + 0  # "+ 0": no "-0"
    return value.normalize()


def _figure(figure):
    change = figure.after - figure.before
    percent = None
    if figure.before:
        percent = (change / abs(figure.before) * Decimal(100)).quantize(Decimal("0.1"))
    return {
        "figure": figure,
        "before": _trim(figure.before),
        "after": _trim(figure.after),
        "change": _trim(change),
        "percent": percent,
        "up": change > 0,
        "down": change < 0,
    }


def rich_text(value):
    """The practice's rich text as safe HTML, its text (not its tags) in the reader's script."""
    cleaned = nh3.clean(
        value or "",
        tags=RICH_TAGS,
        attributes=RICH_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    out, position = [], 0
    for match in _TAG_OR_ENTITY_RE.finditer(cleaned):
        out.append(script(cleaned[position : match.start()]) or "")
        out.append(match.group())
        position = match.end()
    out.append(script(cleaned[position:]) or "")
    return mark_safe("".join(out))  # noqa: S308 - cleaned by nh3, text only transliterated


def _point(municipality, label, highlight=False):
    if municipality.latitude is None or municipality.longitude is None:
        return None
    return {
        "id": municipality.code,
        "lat": municipality.latitude,
        "lon": municipality.longitude,
        "label": label,
        "url": f"/municipalities/{municipality.code}/",
        "kind": "origin" if highlight else "replication",
    }


def _replication_map(practice, replications):
    """The practice's municipality (marked) and those that adopted it, on an offline map."""
    if not replications:
        return ""
    origin = practice.municipality
    points = [_point(origin, str(place_name(origin.name, origin.country)), True)]
    countries = {origin.country.code}
    for r in replications:
        name = str(place_name(r.municipality.name, r.municipality.country))
        points.append(_point(r.municipality, f"{name} ({r.year})"))
        countries.add(r.municipality.country.code)
    available = available_countries()
    countries = sorted(c for c in countries if c in available)
    points = [p for p in points if p]
    if not countries or not points:
        return ""
    return map_svg(
        points,
        countries,
        title=_map_title(practice),
        desc=_map_desc(),
        width=480,
        highlight=origin.code,
        map_id=f"replications-{practice.pk}",
    )


def _map_title(practice):
    return _("Where “%(title)s” was adopted") % {"title": script(practice.title)}


def _map_desc():
    return _("The marked point is where the practice comes from; the others adopted it.")


# ------------------------------------------------------------------------------ similar


def similar_practices(practice):
    """At most five published practices sharing the most areas (then SDGs) with this one.

    Bounded work: the candidates are the practices among the latest SIMILAR_LINKS links to the
    same areas, or without areas the newest that share an SDG; the few candidates are then
    weighed in Python (an area counts twice an SDG, then the newest first).
    """
    area_ids = [area.pk for area in practice.areas.all()]
    mine = set(practice.sdgs)
    published = published_practices(Practice.objects.all()).exclude(pk=practice.pk)
    shared_areas = {}
    if area_ids:
        # the latest links of these areas (newest practices first), counted here: a GROUP BY
        # over every link of a common area cost 200 ms in a library of 50,000
        links = (
            Practice.areas.through.objects.filter(subcriterion_id__in=area_ids)
            .exclude(practice_id=practice.pk)
            .order_by("-id")
            .values_list("practice_id", flat=True)[:SIMILAR_LINKS]
        )
        counts = Counter(links)
        best = sorted(counts, key=lambda pk: (counts[pk], pk), reverse=True)[: SIMILAR * 8]
        shared_areas = {pk: counts[pk] for pk in best}
        candidates = published.filter(pk__in=best)
    elif mine:
        shared = Q()
        for number in mine:
            shared |= Q(sdg_codes__contains=f",{number},")
        candidates = published.filter(shared).order_by("-published_at")[: SIMILAR * 8]
    else:
        return []
    rows = list(
        candidates.select_related("municipality__country").only(
            "id",
            "title",
            "sdg_codes",
            "published_at",
            "municipality__name",
            "municipality__country__code",
            "municipality__country__name_language",
        )
    )

    def weight(row):
        published_at = row.published_at.timestamp() if row.published_at else 0
        return (shared_areas.get(row.pk, 0) * 2 + len(mine.intersection(row.sdgs)), published_at)

    rows.sort(key=weight, reverse=True)
    return [
        {
            "practice": row,
            "municipality": place_name(row.municipality.name, row.municipality.country),
        }
        for row in rows[:SIMILAR]
    ]
