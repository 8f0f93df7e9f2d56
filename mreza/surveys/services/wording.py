"""Survey results in words, in the active language: numbers as a reader sees them (a decimal, a
share in per cent, two means that must not look equal when they differ), the plain-words
verdict of a comparison, and the names of the tests and effect sizes behind it.

The numbers themselves come from the pure `statistics` module; `results`, `comparisons` and the
results pages only ask here how to say them.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from mreza.surveys import statistics

TEST_NAMES = {
    "mann_whitney": gettext_lazy("Mann–Whitney test (do answers on the scale run higher?)"),
    "two_proportions": gettext_lazy("two-proportion test (did the share change?)"),
    "chi_square": gettext_lazy("chi-square test (are the answers spread differently?)"),
    "welch_t": gettext_lazy("Welch's t-test (did the mean change?)"),
}
EFFECT_NAMES = {
    "mann_whitney": gettext_lazy("rank-biserial correlation"),
    "two_proportions": gettext_lazy("Cohen's h"),
    "chi_square": gettext_lazy("Cramér's V"),
    "welch_t": gettext_lazy("Cohen's d"),
}
EFFECT_LABELS = {
    "negligible": gettext_lazy("negligible"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
}


def decimal(value: float | None, places: int = 1) -> str:
    return "—" if value is None else number_format(round(value, places), places)


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return pgettext("a share in per cent", "%(number)s%%") % {
        "number": number_format(round(share * 100), 0)
    }


def mean_pair(before: float | None, after: float | None) -> tuple[str, str]:
    """Two means with one decimal, or two where one would show a change as no change."""
    places = 1
    if before is not None and after is not None and before != after:
        places = 2 if round(before, 1) == round(after, 1) else 1
    return decimal(before, places), decimal(after, places)


def signed(text: str, value: float) -> str:
    """`text` (the number `value` as shown) with a plus when it is a rise."""
    return f"+{text}" if value > 0 and not text.startswith("+") else text


def verdict_sentence(comparison: statistics.Comparison, before: str, after: str) -> str:
    """The plain-words verdict in the active language (before/after: the values as shown)."""
    counts = {
        "before": number_format(comparison.n_before),
        "after": number_format(comparison.n_after),
        "minimum": number_format(statistics.MIN_ANSWERS),
    }
    if comparison.verdict == "too_few":
        if min(comparison.n_before, comparison.n_after) >= statistics.MIN_ANSWERS:
            return (
                _(
                    "Too few answers to tell: some options were chosen too rarely for the test "
                    "(%(before)s answers before, %(after)s after)."
                )
                % counts
            )
        return (
            _(
                "Too few answers to tell (%(before)s before, %(after)s after; at least %(minimum)s "
                "each are needed)."
            )
            % counts
        )
    likely = comparison.verdict == "likely_change"
    if comparison.test == "chi_square":
        if likely:
            return _(
                "The answers are spread differently than before; that is unlikely to be chance."
            )
        return _("The difference in how the answers are spread could be chance.")
    values = {"before": before, "after": after}
    if not likely:
        return _("The change from %(before)s to %(after)s could be chance.") % values
    if comparison.direction == "up":
        return _("The rise from %(before)s to %(after)s is unlikely to be chance.") % values
    if comparison.direction == "down":
        return _("The fall from %(before)s to %(after)s is unlikely to be chance.") % values
    return _("The change from %(before)s to %(after)s is unlikely to be chance.") % values
