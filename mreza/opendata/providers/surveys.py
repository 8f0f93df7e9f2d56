"""Aggregates of the citizen surveys whose results are public, exactly as their public results
page shows them: closed waves only, no free-text answers, no demographic breakdowns, and no item
answered fewer than `results.MIN_GROUP` times (withheld). Never a single response.

The answers of every wave are read in one query and aggregated with the results page's own
functions (`surveys.services.results`).
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mreza.core import access
from mreza.core.access import anonymous_visitor as anonymous
from mreza.opendata.providers.base import (
    BOOLEAN,
    DATE,
    INTEGER,
    MUNICIPALITY_CODE,
    NUMBER,
    STRING,
    Dataset,
    Field,
    text_fields,
    texts,
)
from mreza.opendata.providers.progress import published_workspaces
from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services import results

SURVEY_ID = _("Identifier of the survey (see surveys.csv)")
WAVE_ID = _("Identifier of the wave (see survey_waves.csv)")


def public_surveys():
    visible = access.surveys_visible_to(anonymous(), Survey.objects.all())
    return list(visible.select_related("municipality").order_by("id"))


def _closed_waves(surveys):
    return list(
        Wave.objects.filter(survey__in=[s.pk for s in surveys], status=Wave.Status.CLOSED)
        .select_related("survey")
        .order_by("survey_id", "position", "id")
    )


def _shown_items(surveys):
    """survey id -> its items that a results page shows (no headings, no demographics)."""
    shown: dict[int, list[Item]] = {s.pk: [] for s in surveys}
    for item in Item.objects.filter(survey__in=list(shown)).order_by("survey_id", "position", "id"):
        if item.kind != Item.Kind.SECTION and not item.is_demographic:
            shown[item.survey_id].append(item)
    return shown


def _surveys():
    published = {w.pk for w in published_workspaces()}
    for survey in public_surveys():
        languages = survey.languages if isinstance(survey.languages, list) else []
        yield (
            survey.pk,
            survey.municipality.code,
            survey.workspace_id if survey.workspace_id in published else None,
            *texts(survey.title),
            " ".join(str(code) for code in languages),
            survey.previous_version_id,
        )


def _answers_by_wave(waves):
    """wave id -> (answers, {channel: count}), from one query."""
    found: dict[int, tuple[list[dict], dict[str, int]]] = {
        w.pk: ([], {"web": 0, "paper": 0}) for w in waves
    }
    rows = (
        Response.objects.filter(wave_id__in=list(found))
        .order_by("wave_id", "id")
        .values_list("wave_id", "answers", "channel")
    )
    for wave_id, answers, channel in rows.iterator(chunk_size=2000):
        listed, channels = found[wave_id]
        listed.append(answers if isinstance(answers, dict) else {})
        channels[channel] = channels.get(channel, 0) + 1
    return found


def _waves():
    waves = _closed_waves(public_surveys())
    answers = _answers_by_wave(waves)
    for wave in waves:
        listed, channels = answers[wave.pk]
        yield (
            wave.pk,
            wave.survey_id,
            wave.name,
            wave.position,
            wave.opened_at.date() if wave.opened_at else wave.opens_on,
            wave.closed_at.date() if wave.closed_at else wave.closes_on,
            len(listed),
            channels.get("web", 0),
            channels.get("paper", 0),
        )


def _items():
    surveys = public_surveys()
    for survey_id, items in _shown_items(surveys).items():
        for item in items:
            yield (survey_id, item.code, item.position, item.kind, *texts(item.text))


def _bar_rows(wave, result, row_code, bars):
    for bar in bars:
        yield (
            wave.pk,
            result.code,
            row_code,
            str(bar.key),
            bar.label,
            bar.count,
            bar.share,
            bar.ci_low,
            bar.ci_high,
        )


def _item_results():
    """(wave, its survey's first language, ItemResult) for every shown item of every wave."""
    surveys = public_surveys()
    waves = _closed_waves(surveys)
    items = _shown_items(surveys)
    answers = _answers_by_wave(waves)
    for wave in waves:
        languages = wave.survey.languages if isinstance(wave.survey.languages, list) else []
        language = str(languages[0]) if languages else "en"
        listed = answers[wave.pk][0]
        for item in items[wave.survey_id]:
            # the public page: no texts, nothing answered fewer than MIN_GROUP times
            with translation.override("en"):
                result = results.item_result(item, listed, language, texts=False)
            yield wave, results.withhold_if_fewer(result, results.MIN_GROUP)


def _results():
    for wave, result in _item_results():
        if result.withheld or result.kind == Item.Kind.TEXT:
            continue
        if result.kind == Item.Kind.MATRIX:
            for row in result.rows:
                yield from _bar_rows(wave, result, row.code, row.bars)
        else:
            yield from _bar_rows(wave, result, "", result.bars)


def _summary_row(wave, result, row_code, summary):
    return (
        wave.pk,
        result.code,
        row_code,
        result.kind,
        result.answered,
        result.skipped,
        result.withheld,
        summary.n if summary else None,
        summary.mean if summary else None,
        summary.median if summary else None,
        summary.sd if summary else None,
        summary.ci_low if summary else None,
        summary.ci_high if summary else None,
    )


def _summaries():
    for wave, result in _item_results():
        if result.kind == Item.Kind.MATRIX and not result.withheld:
            for row in result.rows:
                yield _summary_row(wave, result, row.code, row.summary)
        else:
            yield _summary_row(wave, result, "", result.summary)


SURVEYS = Dataset(
    "surveys",
    _("Citizen surveys with public results"),
    _("The satisfaction surveys whose municipality made the results public."),
    (
        Field("survey_id", INTEGER, SURVEY_ID),
        Field("municipality", STRING, MUNICIPALITY_CODE),
        Field("workspace_id", INTEGER, _("Published workspace whose work it measures, if any")),
        *text_fields("title", _("Title")),
        Field("languages", STRING, _("Languages of the questionnaire, separated by spaces")),
        Field("previous_version_id", INTEGER, _("The survey this one is a new version of")),
    ),
    _surveys,
)

SURVEY_WAVES = Dataset(
    "survey_waves",
    _("Survey waves"),
    _("The closed waves (rounds of answers, e.g. before and after) of the public surveys."),
    (
        Field("wave_id", INTEGER, WAVE_ID),
        Field("survey_id", INTEGER, SURVEY_ID),
        Field("name", STRING, _("Name of the wave")),
        Field("position", INTEGER, _("Order of the wave in its survey")),
        Field("opened_on", DATE, _("Day the wave opened")),
        Field("closed_on", DATE, _("Day the wave closed")),
        Field("responses", INTEGER, _("Number of responses")),
        Field("responses_web", INTEGER, _("Responses given online")),
        Field("responses_paper", INTEGER, _("Responses from paper questionnaires")),
    ),
    _waves,
)

SURVEY_ITEMS = Dataset(
    "survey_items",
    _("Survey questions"),
    _("The questions of the public surveys (headings and demographic questions left out)."),
    (
        Field("survey_id", INTEGER, SURVEY_ID),
        Field("item", STRING, _("Code of the question in its survey")),
        Field("position", INTEGER, _("Order in the questionnaire")),
        Field("kind", STRING, _("single, multiple, scale, matrix, number or text")),
        *text_fields("question", _("Question")),
    ),
    _items,
)

ITEM = _("Code of the question (see survey_items.csv)")
ROW = _("Code of the row of a matrix question, else empty")

SURVEY_RESULTS = Dataset(
    "survey_results",
    _("Survey answers by option"),
    _(
        "How many chose each option or scale point, per wave and question, with a 95 per cent "
        "interval; questions answered fewer than 5 times are withheld."
    ),
    (
        Field("wave_id", INTEGER, WAVE_ID),
        Field("item", STRING, ITEM),
        Field("row", STRING, ROW),
        Field("option", STRING, _("Code of the option, the scale point or the range of numbers")),
        Field("label", STRING, _("Its text in the survey's first language")),
        Field("count", INTEGER, _("Number of answers")),
        Field("share", NUMBER, _("Share of those who answered the question, 0 to 1")),
        Field("ci_low", NUMBER, _("Lower end of the 95 per cent interval of the share")),
        Field("ci_high", NUMBER, _("Upper end of the 95 per cent interval of the share")),
    ),
    _results,
)

SURVEY_SUMMARIES = Dataset(
    "survey_summaries",
    _("Survey answers summarised"),
    _("Per wave and question: answered, skipped, and for scales and numbers the mean and spread."),
    (
        Field("wave_id", INTEGER, WAVE_ID),
        Field("item", STRING, ITEM),
        Field("row", STRING, ROW),
        Field("kind", STRING, _("single, multiple, scale, matrix, number or text")),
        Field("answered", INTEGER, _("Responses that answered the question")),
        Field("skipped", INTEGER, _("Responses that skipped it")),
        Field("withheld", BOOLEAN, _("Withheld: answered fewer than 5 times")),
        Field("n", INTEGER, _("Values in the summary")),
        Field("mean", NUMBER, _("Mean")),
        Field("median", NUMBER, _("Median")),
        Field("sd", NUMBER, _("Standard deviation")),
        Field("ci_low", NUMBER, _("Lower end of the 95 per cent interval of the mean")),
        Field("ci_high", NUMBER, _("Upper end of the 95 per cent interval of the mean")),
    ),
    _summaries,
)
