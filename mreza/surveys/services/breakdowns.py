"""A wave's results group by group of a demographic single-choice item, with small groups
suppressed so that no group's answers point at a few people.

The groups are cut from the answers `results.wave_results` has read already: a breakdown costs
no query.

Signature the other parts use:
    breakdown(results: WaveResults, by: str, *, min_answers=0) -> Breakdown | None
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mreza.core.texts import localized
from mreza.surveys import statistics
from mreza.surveys.models import Item
from mreza.surveys.services.results import (
    MIN_GROUP,
    ItemResult,
    WaveResults,
    codes_of,
    item_result,
    withhold_if_fewer,
)

NO_ANSWER = ""


@dataclass
class Group:
    key: str
    label: str
    n: int
    shown: bool


@dataclass
class BreakdownItem:
    result: ItemResult  # the whole wave, for the columns' labels
    groups: list[tuple[Group, ItemResult]]  # shown groups only

    @property
    def width(self) -> int:
        """The number of value columns of its table (after the group and its answers)."""
        if self.result.kind == Item.Kind.MATRIX:
            return len(self.result.rows)
        if self.result.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
            return len(self.result.bars)
        return 2


@dataclass
class Breakdown:
    by: Item
    question: str
    groups: list[Group]
    items: list[BreakdownItem]

    @property
    def shown(self) -> list[Group]:
        return [group for group in self.groups if group.shown]

    @property
    def hidden(self) -> int:
        return sum(not group.shown for group in self.groups)


def breakdown(results: WaveResults, by: str, *, min_answers: int = 0) -> Breakdown | None:
    """The items of the wave group by group of the demographic single-choice item `by` (those
    who did not answer it are a group too). Groups under MIN_GROUP answers are not shown, nor one
    more when a single group is hidden (statistics.suppress_small_groups); texts never are.
    `min_answers`: also withhold a group's result of an item fewer of its people answered."""
    item = next((i for i in results.demographics if i.code == by), None)
    if item is None:
        return None
    language = results.language
    labels = {o["code"]: localized(o.get("text"), language) for o in item.options}
    members: dict[str, list[dict]] = {code: [] for code in codes_of(item)}
    members[NO_ANSWER] = []
    for answer in results.answers:
        value = answer.get(item.code)
        members[value if isinstance(value, str) and value in members else NO_ANSWER].append(answer)
    if not members[NO_ANSWER]:
        del members[NO_ANSWER]
    shown = statistics.suppress_small_groups({key: len(v) for key, v in members.items()}, MIN_GROUP)
    groups = [
        Group(key, labels.get(key) or _("No answer"), len(rows), key in shown)
        for key, rows in members.items()
    ]
    items = []
    for result in results.items:
        if result.kind == Item.Kind.TEXT or result.withheld or not result.answered:
            continue
        per_group = [
            (
                group,
                withhold_if_fewer(
                    item_result(result.item, members[group.key], language), min_answers
                ),
            )
            for group in groups
            if group.shown
        ]
        items.append(BreakdownItem(result, per_group))
    return Breakdown(item, localized(item.text, language), groups, items)
