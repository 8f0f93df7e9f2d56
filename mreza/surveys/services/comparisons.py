"""Two waves compared item by item, each with the test that fits its kind: a scale or a matrix
row by its ranks (Mann–Whitney), a number by its mean (Welch), a multiple choice option by option
and a single choice of the same two answers in both waves by the share of the first (two
proportions), any other single choice by how its answers spread (chi-square).

`compare_results` works on what `results.wave_results` has read already, so it costs no query.

Signatures the other parts use:
    compare_waves(wave_a, wave_b, *, language=None) -> list[ItemComparison]  (a before, b after)
    compare_results(before: WaveResults, after: WaveResults) -> list[ItemComparison]
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mreza.core.texts import localized
from mreza.surveys import statistics
from mreza.surveys.models import Item, Wave
from mreza.surveys.services.results import (
    WaveResults,
    codes_of,
    number_values,
    picked_options,
    row_values,
    scale_values,
    wave_results,
)
from mreza.surveys.services.wording import (
    EFFECT_LABELS,
    EFFECT_NAMES,
    TEST_NAMES,
    decimal,
    mean_pair,
    percent,
    signed,
    verdict_sentence,
)


@dataclass(frozen=True)
class Measure:
    """One compared quantity: a mean (scale, matrix row, number), the share of an option, or the
    spread over a single choice's options (chi-square: no before/after value)."""

    label: str
    comparison: statistics.Comparison
    before: float | None
    after: float | None
    is_share: bool = False
    change: statistics.MeanChange | None = None

    @property
    def texts(self) -> tuple[str, str]:
        if self.is_share:
            return percent(self.before), percent(self.after)
        return mean_pair(self.before, self.after)

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def difference_text(self) -> str:
        difference = self.difference
        if difference is None:
            return "—"
        if self.is_share:
            points = number_format(round(difference * 100), 0)
            return _("%(points)s percentage points") % {"points": signed(points, difference)}
        return signed(decimal(difference, 2), difference)

    @property
    def before_text(self) -> str:
        return self.texts[0]

    @property
    def after_text(self) -> str:
        return self.texts[1]

    @property
    def sentence(self) -> str:
        return verdict_sentence(self.comparison, *self.texts)

    @property
    def test_name(self) -> str:
        return str(TEST_NAMES[self.comparison.test])

    @property
    def effect_name(self) -> str:
        return str(EFFECT_NAMES[self.comparison.test])

    @property
    def effect_label(self) -> str:
        label = self.comparison.effect_label
        return str(EFFECT_LABELS[label]) if label else ""

    @property
    def p_text(self) -> str:
        p = self.comparison.p_value
        if p is None:
            return "—"
        return "<\u00a0" + number_format(0.001, 3) if p < 0.001 else number_format(round(p, 3), 3)


@dataclass
class ItemComparison:
    code: str
    question: str
    kind: str
    measures: list[Measure]


def _mean_measure(label, before, after, comparison) -> Measure:
    b, a = statistics.describe(before), statistics.describe(after)
    return Measure(label, comparison, b.mean, a.mean, change=statistics.mean_change(b, a))


def _choice_measures(before_item, after_item, before, after, language) -> list[Measure]:
    labels = {o["code"]: localized(o.get("text"), language) for o in after_item.options}
    codes = codes_of(after_item)
    n1, picked1 = picked_options(before_item, before)
    n2, picked2 = picked_options(after_item, after)
    if after_item.kind == Item.Kind.MULTIPLE or (
        len(codes) == 2 and set(codes_of(before_item)) == set(codes)
    ):
        measures = []
        for code in codes if after_item.kind == Item.Kind.MULTIPLE else codes[:1]:
            k1, k2 = picked1.count(code), picked2.count(code)
            comparison = statistics.compare_proportions(k1, n1, k2, n2)
            share1, share2 = (k1 / n1 if n1 else None), (k2 / n2 if n2 else None)
            measures.append(Measure(labels[code], comparison, share1, share2, is_share=True))
        return measures
    counts1 = {c: picked1.count(c) for c in dict.fromkeys([*codes_of(before_item), *codes])}
    counts2 = {c: picked2.count(c) for c in counts1}
    return [Measure("", statistics.compare_choices(counts1, counts2), None, None)]


def _measures(before_item, after_item, before, after, language) -> list[Measure]:
    kind = after_item.kind
    if kind == Item.Kind.SCALE:
        if (before_item.scale_min, before_item.scale_max) != (
            after_item.scale_min,
            after_item.scale_max,
        ):
            return []  # another scale: not comparable
        b, a = scale_values(before_item, before), scale_values(after_item, after)
        return [_mean_measure("", b, a, statistics.compare_ordinal(b, a))]
    if kind == Item.Kind.NUMBER:
        nb, na = number_values(before_item, before), number_values(after_item, after)
        return [_mean_measure("", nb, na, statistics.compare_means(nb, na))]
    if kind == Item.Kind.MATRIX:
        earlier = {row["code"] for row in before_item.rows}
        measures = []
        for row in after_item.rows:
            if row["code"] in earlier:
                b = row_values(before_item, before, row["code"])
                a = row_values(after_item, after, row["code"])
                label = localized(row.get("text"), language)
                measures.append(_mean_measure(label, b, a, statistics.compare_ordinal(b, a)))
        return measures
    if kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        return _choice_measures(before_item, after_item, before, after, language)
    return []


def compare_results(before: WaveResults, after: WaveResults) -> list[ItemComparison]:
    """Item by item (matched by code and kind), in the later wave's order; items withheld in
    either wave are not compared."""
    earlier = {item.code: item for item in before.all_items}
    withheld = {r.code for r in (*before.items, *after.items) if r.withheld}
    compared = []
    for result in after.items:
        item, old = result.item, earlier.get(result.code)
        if old is None or old.kind != item.kind or result.code in withheld:
            continue
        measures = _measures(old, item, before.answers, after.answers, after.language)
        if measures:
            compared.append(ItemComparison(item.code, result.question, item.kind, measures))
    return compared


def compare_waves(wave_a: Wave, wave_b: Wave, *, language: str | None = None):
    """`wave_a` (before) against `wave_b` (after), item by item."""
    return compare_results(
        wave_results(wave_a, language=language), wave_results(wave_b, language=language)
    )
