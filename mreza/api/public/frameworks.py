"""Self-assessment frameworks with their criteria and subcriteria: reference texts shipped with
Mreža (the files under assessment/frameworks), the same for everyone; named by code and
version."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.public.common import text, texts
from mreza.assessment.models import Criterion, Framework, Subcriterion

router = Router(tags=["frameworks"])


class FrameworkOut(Schema):
    code: str
    version: str
    name: str = Field(description="In the request's language.")
    names: dict[str, str] = Field(description="Every language stored: {language: text}.")
    criteria_count: int
    subcriteria_count: int
    scoring_methods: list[str]


class FrameworkSubcriterion(Schema):
    code: str
    position: int
    title: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    panels: dict[str, str] = Field(description="Scoring method → the panel it is scored on.")


class FrameworkCriterion(Schema):
    code: str
    position: int
    title: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    subcriteria: list[FrameworkSubcriterion]


class FrameworkDetail(FrameworkOut):
    descriptions: dict[str, str]
    criteria: list[FrameworkCriterion]


def _methods(framework: Framework) -> list[str]:
    methods = framework.data.get("scoring_methods") if isinstance(framework.data, dict) else None
    return [m for m in methods or [] if isinstance(m, str)]


def framework_out(framework: Framework) -> dict:
    return {
        "code": framework.code,
        "version": framework.version,
        "name": text(framework.name),
        "names": texts(framework.name),
        # annotated by _counted()
        "criteria_count": getattr(framework, "criteria_count", 0),
        "subcriteria_count": getattr(framework, "subcriteria_count", 0),
        "scoring_methods": _methods(framework),
    }


def _counted(queryset):
    return queryset.annotate(
        criteria_count=Count("criteria", distinct=True),
        subcriteria_count=Count("subcriteria", distinct=True),
    )


@router.get("/frameworks", response=Page[FrameworkOut], summary="Assessment frameworks")
def frameworks(request, params: Query[PageParams]):
    rows = _counted(Framework.objects.order_by("code", "version", "id"))
    return paginate(request, rows, params, framework_out)


def _part(obj, **extra) -> dict:
    return {
        "code": obj.code,
        "position": obj.position,
        "title": text(obj.title),
        "titles": texts(obj.title),
        "descriptions": texts(obj.description),
        **extra,
    }


def _panels(sub: Subcriterion) -> dict[str, str]:
    panels = sub.panels if isinstance(sub.panels, dict) else {}
    return {str(k): v for k, v in panels.items() if isinstance(v, str)}


@router.get(
    "/frameworks/{code}/{version}",
    response={200: FrameworkDetail, 404: Error},
    summary="One framework with its criteria and subcriteria",
)
def framework(
    request,
    code: str = Path(..., max_length=40, examples=["caf2020"]),
    version: str = Path(..., max_length=20, examples=["2020.1"]),
):
    subcriteria = Subcriterion.objects.order_by("position", "id")
    criteria = Criterion.objects.order_by("position", "id").prefetch_related(
        Prefetch("subcriteria", queryset=subcriteria)
    )
    found = get_object_or_404(
        _counted(Framework.objects.prefetch_related(Prefetch("criteria", queryset=criteria))),
        code=code,
        version=version,
    )
    description = found.data.get("description") if isinstance(found.data, dict) else None
    return {
        **framework_out(found),
        "descriptions": texts(description),
        "criteria": [
            _part(c, subcriteria=[_part(s, panels=_panels(s)) for s in c.subcriteria.all()])
            for c in found.criteria.all()
        ],
    }
