"""Survey results: what a wave's answers say item by item, and the satisfaction change that the
network evaluation reports. How two waves compare is `comparisons`, a wave group by group is
`breakdowns`, and how the numbers are said is `wording`.

A wave's answers are read in one query (the JSON of every response) and aggregated here, so a
results page costs the same number of queries whatever the number of responses; the comparisons
and breakdowns reuse them. The numbers come from the pure `statistics` module.

Signatures the other parts use:
    satisfaction_change(survey) -> SatisfactionChange | None
    wave_results(wave, *, language=None, texts=False, min_answers=0, items=None) -> WaveResults
    comparable_waves(survey, *, closed_only=False) -> list[Wave]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import translation

from mreza.core.texts import localized
from mreza.surveys import statistics
from mreza.surveys.models import Item, Survey, Wave
from mreza.surveys.services.wording import decimal, mean_pair, percent, verdict_sentence

#: no group in a breakdown (nor, on the public page, any item) with fewer answers is shown
MIN_GROUP = 5
#: the item the evaluation compares (a scale in the satisfaction template)
OVERALL = "overall"
#: free-text answers listed on the page at most (the export has them all)
TEXTS_SHOWN = 200

# --------------------------------------------------------------------------- versions and waves


def version_chain(survey: Survey) -> list[Survey]:
    """The survey and its earlier versions, oldest first (one query per earlier version)."""
    chain, seen = [survey], {survey.pk}
    while chain[0].previous_version_id and chain[0].previous_version_id not in seen:
        earlier = Survey.objects.filter(pk=chain[0].previous_version_id).first()
        if earlier is None:
            break
        seen.add(earlier.pk)
        chain.insert(0, earlier)
    return chain


def comparable_waves(survey: Survey, *, closed_only: bool = False) -> list[Wave]:
    """The waves of the survey and of its earlier versions, oldest first, each with
    `responses_count`; drafts are left out (they have no answers)."""
    chain = version_chain(survey)
    order = {s.pk: index for index, s in enumerate(chain)}
    waves = Wave.objects.filter(survey__in=chain).exclude(status=Wave.Status.DRAFT)
    if closed_only:
        waves = waves.filter(status=Wave.Status.CLOSED)
    waves = waves.select_related("survey").annotate(responses_count=Count("responses"))
    return sorted(waves, key=lambda w: (order[w.survey_id], w.position, w.pk))


# --------------------------------------------------------------------------- reading answers


def scale_value(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if low <= value <= high else None


def number_value(value: object, low: Decimal | None, high: Decimal | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value):
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return float(value)


def codes_of(item: Item) -> list[str]:
    return [o["code"] for o in item.options if isinstance(o, dict) and "code" in o]


def picked_options(item: Item, answers: list[dict]) -> tuple[int, list[str]]:
    """(respondents, the options they chose) of a choice item; unknown codes are ignored."""
    codes, respondents, picked = set(codes_of(item)), 0, list[str]()
    for answer in answers:
        value = answer.get(item.code)
        if item.kind == Item.Kind.MULTIPLE:
            if not isinstance(value, list):
                continue
            respondents += 1
            picked.extend(dict.fromkeys(v for v in value if isinstance(v, str) and v in codes))
        elif isinstance(value, str) and value in codes:
            respondents += 1
            picked.append(value)
    return respondents, picked


def row_values(item: Item, answers: list[dict], row: str) -> list[int]:
    values = []
    for answer in answers:
        matrix = answer.get(item.code)
        if isinstance(matrix, dict):
            value = scale_value(matrix.get(row), item.scale_min, item.scale_max)
            if value is not None:
                values.append(value)
    return values


def scale_values(item: Item, answers: list[dict]) -> list[int]:
    values = (scale_value(a.get(item.code), item.scale_min, item.scale_max) for a in answers)
    return [v for v in values if v is not None]


def number_values(item: Item, answers: list[dict]) -> list[float]:
    values = (number_value(a.get(item.code), item.number_min, item.number_max) for a in answers)
    return [v for v in values if v is not None]


# --------------------------------------------------------------------------- one wave


@dataclass
class Bar:
    key: object
    label: str
    count: int
    share: float | None
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def share_text(self) -> str:
        return percent(self.share)

    @property
    def interval_text(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{percent(self.ci_low)} – {percent(self.ci_high)}"


@dataclass
class RowResult:
    """A matrix row: its mean on the scale and how its answers spread."""

    code: str
    label: str
    summary: statistics.Summary
    bars: list[Bar]


@dataclass
class ItemResult:
    item: Item
    question: str
    answered: int
    skipped: int
    bars: list[Bar] = field(default_factory=list)
    summary: statistics.Summary | None = None
    rows: list[RowResult] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # too few answers to show (the public page shows no item answered by fewer than MIN_GROUP)
    withheld: bool = False

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def kind(self) -> str:
        return self.item.kind


@dataclass
class WaveResults:
    wave: Wave
    responses: int
    channels: dict[str, int]
    items: list[ItemResult]
    demographics: list[Item]
    language: str
    # what the comparisons and breakdowns need again, without another query
    all_items: list[Item] = field(repr=False, default_factory=list)
    answers: list[dict] = field(repr=False, default_factory=list)


def _scale_label(item: Item, value: int, language: str) -> str:
    labels = item.scale_labels if isinstance(item.scale_labels, dict) else {}
    end = labels.get("min") if value == item.scale_min else None
    end = labels.get("max") if value == item.scale_max else end
    return f"{value} · {localized(end, language)}" if end else str(value)


def _bars(counts: list[statistics.OptionCount], labels: dict, base: int) -> list[Bar]:
    bars = []
    for option in counts:
        interval = statistics.proportion(option.answers, base) if base else None
        bars.append(
            Bar(
                option.option,
                labels.get(option.option, str(option.option)),
                option.answers,
                option.share,
                interval.ci_low if interval else None,
                interval.ci_high if interval else None,
            )
        )
    return bars


def _number_bars(values: list[float]) -> list[Bar]:
    """Each value when there are a few, else eight bins of equal width."""
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= 12:
        whole = all(v.is_integer() for v in distinct)
        labels = {v: decimal(v, 0 if whole else 2) for v in distinct}
        return _bars(statistics.distribution(values, distinct), labels, len(values))
    low, high = distinct[0], distinct[-1]
    width = (high - low) / 8
    keys = [min(int((v - low) / width), 7) for v in values]
    labels = {k: f"{decimal(low + k * width)} – {decimal(low + (k + 1) * width)}" for k in range(8)}
    return _bars(statistics.distribution(keys, list(range(8))), labels, len(values))


def item_result(item: Item, answers: list[dict], language: str, *, texts: bool = False):
    """One item's result on a set of answers (a wave, or one group of a breakdown)."""
    result = ItemResult(item, localized(item.text, language), 0, 0)
    if item.kind == Item.Kind.SCALE:
        points = scale_values(item, answers)
        scale = list(range(item.scale_min, item.scale_max + 1))
        labels = {v: _scale_label(item, v, language) for v in scale}
        result.bars = _bars(statistics.distribution(points, scale), labels, len(points))
        result.summary, result.answered = statistics.describe(points), len(points)
    elif item.kind == Item.Kind.NUMBER:
        numbers = number_values(item, answers)
        result.bars, result.answered = _number_bars(numbers), len(numbers)
        result.summary = statistics.describe(numbers)
    elif item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        respondents, picked = picked_options(item, answers)
        labels = {o["code"]: localized(o.get("text"), language) for o in item.options}
        multiple = item.kind == Item.Kind.MULTIPLE
        counts = statistics.distribution(
            picked, codes_of(item), respondents=respondents if multiple else None
        )
        result.bars, result.answered = _bars(counts, labels, respondents), respondents
    elif item.kind == Item.Kind.MATRIX:
        _matrix(result, item, answers, language)
    elif item.kind == Item.Kind.TEXT:
        written = [a[item.code].strip() for a in answers if isinstance(a.get(item.code), str)]
        written = [text for text in written if text]
        result.answered = len(written)
        result.texts = written[:TEXTS_SHOWN] if texts else []
    result.skipped = len(answers) - result.answered
    return result


def _matrix(result: ItemResult, item: Item, answers: list[dict], language: str) -> None:
    scale = list(range(item.scale_min, item.scale_max + 1))
    labels = {v: _scale_label(item, v, language) for v in scale}
    for row in item.rows:
        values = row_values(item, answers, row["code"])
        result.rows.append(
            RowResult(
                row["code"],
                localized(row.get("text"), language),
                statistics.describe(values),
                _bars(statistics.distribution(values, scale), labels, len(values)),
            )
        )
    result.answered = sum(
        1
        for a in answers
        if isinstance(a.get(item.code), dict)
        and any(
            scale_value(v, item.scale_min, item.scale_max) is not None
            for v in a[item.code].values()
        )
    )


def _withhold(result: ItemResult) -> ItemResult:
    result.withheld = True
    result.bars, result.rows, result.summary, result.texts = [], [], None, []
    return result


def withhold_if_fewer(result: ItemResult, min_answers: int) -> ItemResult:
    return _withhold(result) if result.answered < min_answers else result


def _shown(item: Item) -> bool:
    return item.kind != Item.Kind.SECTION and not item.is_demographic


def wave_results(
    wave: Wave,
    *,
    language: str | None = None,
    texts: bool = False,
    min_answers: int = 0,
    items: list[Item] | None = None,
) -> WaveResults:
    """Every item's result in the wave: two queries (items, answers) whatever its size.
    `texts`: list the free-text answers (for those who may download the responses);
    `min_answers`: withhold the result of any item answered fewer times (the public page);
    `items`: the survey's items when the caller has them already."""
    language = language or translation.get_language() or "en"
    items = list(wave.survey.items.all()) if items is None else items
    rows = list(wave.responses.order_by("id").values_list("answers", "channel"))
    answers = [a if isinstance(a, dict) else {} for a, _channel in rows]
    channels = dict.fromkeys(("web", "paper"), 0)
    for _answers, channel in rows:
        channels[channel] = channels.get(channel, 0) + 1
    results = []
    for item in items:
        if not _shown(item):
            continue
        result = item_result(item, answers, language, texts=texts)
        results.append(withhold_if_fewer(result, min_answers))
    demographics = [i for i in items if i.is_demographic and i.kind == Item.Kind.SINGLE]
    return WaveResults(
        wave, len(answers), channels, results, demographics, language, items, answers
    )


def load_answers(wave: Wave) -> list[dict]:
    answers = wave.responses.order_by("id").values_list("answers", flat=True)
    return [a if isinstance(a, dict) else {} for a in answers]


# --------------------------------------------------------------------------- the evaluation


@dataclass(frozen=True)
class SatisfactionChange:
    """The "overall" item in the first and the last closed wave (across the survey's versions)."""

    survey: Survey
    before_wave: Wave
    after_wave: Wave
    item: Item
    before: statistics.Summary
    after: statistics.Summary
    comparison: statistics.Comparison
    change: statistics.MeanChange

    @property
    def question(self) -> str:
        return localized(self.item.text)

    @property
    def scale(self) -> tuple[int, int]:
        return self.item.scale_min, self.item.scale_max

    @property
    def difference(self) -> float | None:
        return self.change.difference

    @property
    def sentence(self) -> str:
        """In the active language, e.g. "The rise from 3.1 to 3.6 is unlikely to be chance."."""
        return verdict_sentence(self.comparison, *mean_pair(self.before.mean, self.after.mean))


def satisfaction_change(survey: Survey) -> SatisfactionChange | None:
    """None when fewer than two closed waves with answers have an "overall" scale item."""
    chain = version_chain(survey)
    overall = {
        item.survey_id: item
        for item in Item.objects.filter(survey__in=chain, code=OVERALL, kind=Item.Kind.SCALE)
    }
    waves = [
        w
        for w in comparable_waves(survey, closed_only=True)
        # annotated by comparable_waves (the sort loses the annotation's type)
        if w.survey_id in overall and w.responses_count  # type: ignore[attr-defined]
    ]
    if len(waves) < 2:
        return None
    first, last = waves[0], waves[-1]
    before_item, item = overall[first.survey_id], overall[last.survey_id]
    before = scale_values(before_item, load_answers(first))
    after = scale_values(item, load_answers(last))
    summary_before, summary_after = statistics.describe(before), statistics.describe(after)
    return SatisfactionChange(
        survey=survey,
        before_wave=first,
        after_wave=last,
        item=item,
        before=summary_before,
        after=summary_after,
        comparison=statistics.compare_ordinal(before, after),
        change=statistics.mean_change(summary_before, summary_after),
    )
