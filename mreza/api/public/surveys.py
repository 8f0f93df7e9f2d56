"""Citizen survey results, for the surveys whose results their municipality made public: totals
only, as the public results page shows them (surveys/services/results.py): closed waves only
(an open wave's numbers change with each answer), no written answers, and any question
answered fewer than `MIN_GROUP` times withheld. Never a single response."""

import math
from datetime import datetime

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import translation
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.public.common import text, texts
from mreza.api.scripts import shown
from mreza.core.access import Perm, anonymous_visitor, get_or_deny, surveys_visible_to
from mreza.surveys.forms.public import choose_language
from mreza.surveys.models import Survey, Wave
from mreza.surveys.services import results as services

router = Router(tags=["surveys"])

Id = Path(..., ge=1, le=2**63 - 1)


class SurveyWave(Schema):
    id: int
    survey: int = Field(description="The survey (version) the wave belongs to.")
    name: str
    position: int
    opened_at: datetime | None
    closed_at: datetime | None
    responses: int


class PublicSurvey(Schema):
    id: int
    municipality: str = Field(description="Municipality code.")
    title: str = Field(description="In the request's language if the survey has it.")
    titles: dict[str, str]
    languages: list[str]
    previous_version: int | None
    waves: list[SurveyWave] = Field(description="Closed waves of this version.")


class PublicSurveyDetail(PublicSurvey):
    comparable_waves: list[SurveyWave] = Field(
        description="Closed waves of this survey and its earlier versions, oldest first."
    )


class AnswerSummary(Schema):
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    ci_low: float | None = Field(description="95 % interval.")
    ci_high: float | None


class AnswerBar(Schema):
    key: str = Field(description="Option code, scale point or number bin.")
    label: str
    count: int
    share: float | None
    ci_low: float | None
    ci_high: float | None


class MatrixRowResult(Schema):
    code: str
    label: str
    summary: AnswerSummary
    bars: list[AnswerBar]


class QuestionResult(Schema):
    code: str
    kind: str
    question: str
    answered: int
    skipped: int
    withheld: bool = Field(description="Too few answers to show (fewer than the minimum).")
    bars: list[AnswerBar]
    summary: AnswerSummary | None
    rows: list[MatrixRowResult] = Field(description="Matrix rows.")


class WaveResults(Schema):
    survey: int
    wave: SurveyWave
    language: str
    responses: int
    online: int
    paper: int
    min_answers: int = Field(description="A question answered fewer times is withheld.")
    items: list[QuestionResult]


class SurveyLanguage(Schema):
    lang: str | None = Field(
        None, max_length=20, description="Language of the texts, if the survey has it."
    )


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _wave(wave: Wave) -> dict:
    return {
        "id": wave.pk,
        "survey": wave.survey_id,
        "name": shown(wave.name),
        "position": wave.position,
        "opened_at": wave.opened_at,
        "closed_at": wave.closed_at,
        "responses": getattr(wave, "responses_count", 0),  # annotated by the querysets
    }


def survey_out(survey: Survey) -> dict:
    return {
        "id": survey.pk,
        "municipality": survey.municipality.code,
        "title": text(survey.title),
        "titles": texts(survey.title),
        "languages": [lang for lang in survey.languages or [] if isinstance(lang, str)],
        "previous_version": survey.previous_version_id,
        "waves": [_wave(w) for w in getattr(survey, "closed_waves", [])],  # prefetched
    }


def _public_surveys():
    closed = (
        Wave.objects.filter(status=Wave.Status.CLOSED)
        .annotate(responses_count=Count("responses"))
        .order_by("position", "id")
    )
    return surveys_visible_to(anonymous_visitor(), Survey.objects.all()).prefetch_related(
        Prefetch("waves", queryset=closed, to_attr="closed_waves")
    )


class SurveyFilters(Schema):
    municipality: str | None = Field(None, max_length=40, description="Municipality code.")


@router.get("/surveys", response=Page[PublicSurvey], summary="Surveys with public results")
def surveys(request, params: Query[PageParams], filters: Query[SurveyFilters]):
    rows = _public_surveys().select_related("municipality")
    if filters.municipality:
        rows = rows.filter(municipality__code=filters.municipality)
    return paginate(request, rows.order_by("-created_at", "-id"), params, survey_out)


def _survey(survey_id: int) -> Survey:
    return get_or_deny(
        anonymous_visitor(),
        Perm.VIEW,
        _public_surveys().select_related("municipality__country"),
        pk=survey_id,
    )


@router.get(
    "/surveys/{survey_id}",
    response={200: PublicSurveyDetail, 404: Error},
    summary="A survey with public results and its closed waves",
)
def survey(request, survey_id: int = Id):
    found = _survey(survey_id)
    waves = services.comparable_waves(found, closed_only=True)
    return {**survey_out(found), "comparable_waves": [_wave(w) for w in waves]}


def _summary(summary) -> dict | None:
    if summary is None:
        return None
    return {
        "n": summary.n,
        "mean": _num(summary.mean),
        "sd": _num(summary.sd),
        "median": _num(summary.median),
        "ci_low": _num(summary.ci_low),
        "ci_high": _num(summary.ci_high),
    }


def _bars(bars) -> list[dict]:
    return [
        {
            "key": str(bar.key),
            "label": shown(bar.label),
            "count": bar.count,
            "share": _num(bar.share),
            "ci_low": _num(bar.ci_low),
            "ci_high": _num(bar.ci_high),
        }
        for bar in bars
    ]


def _item(result) -> dict:
    return {
        "code": result.code,
        "kind": result.kind,
        "question": shown(result.question),
        "answered": result.answered,
        "skipped": result.skipped,
        "withheld": result.withheld,
        "bars": _bars(result.bars),
        "summary": _summary(result.summary),
        "rows": [
            {
                "code": row.code,
                "label": shown(row.label),
                "summary": _summary(row.summary),
                "bars": _bars(row.bars),
            }
            for row in result.rows
        ],
    }


@router.get(
    "/surveys/{survey_id}/waves/{wave_id}/results",
    response={200: WaveResults, 404: Error},
    summary="Totals of one closed wave",
    description="Any question answered fewer than `min_answers` times is withheld; written "
    "answers are never given.",
)
def wave_results(request, params: Query[SurveyLanguage], survey_id: int = Id, wave_id: int = Id):
    found = _survey(survey_id)
    wave = next(
        (w for w in services.comparable_waves(found, closed_only=True) if w.pk == wave_id), None
    )
    if wave is None:
        raise Http404
    language = choose_language(found, params.lang, translation.get_language())
    results = services.wave_results(
        wave, language=language, texts=False, min_answers=services.MIN_GROUP
    )
    return {
        "survey": found.pk,
        "wave": _wave(wave),
        "language": language,
        "responses": results.responses,
        "online": results.channels.get("web", 0),
        "paper": results.channels.get("paper", 0),
        "min_answers": services.MIN_GROUP,
        "items": [_item(r) for r in results.items],
    }
