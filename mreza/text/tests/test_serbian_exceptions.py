"""The word lists are meant to be extended by hand; these checks catch a malformed entry."""

import pytest

from mreza.text import lat_to_cyr
from mreza.text.serbian_exceptions import (
    PREFIXES_ENDING_IN_D,
    ROMAN_NUMERAL_LOOKALIKES,
    ROOTS_STARTING_WITH_Ž,
    SPLIT_DIGRAPH_STEMS,
)


@pytest.mark.parametrize("stem", SPLIT_DIGRAPH_STEMS)
def test_each_stem_splits_one_digraph(stem):
    before, after = stem.split("|")
    assert stem == stem.lower()
    assert before[-1] + after[0] in ("lj", "nj", "dž")


@pytest.mark.parametrize("stem", SPLIT_DIGRAPH_STEMS)
def test_each_stem_is_spelled_with_two_letters(stem):
    before, after = stem.split("|")
    cyrillic = lat_to_cyr(before + after)
    assert cyrillic == lat_to_cyr(before) + lat_to_cyr(after)


def test_prefixes_and_roots_fit_together():
    assert all(prefix.endswith("d") and prefix == prefix.lower() for prefix in PREFIXES_ENDING_IN_D)
    assert all(root.startswith("ž") and root == root.lower() for root in ROOTS_STARTING_WITH_Ž)
    for prefix in PREFIXES_ENDING_IN_D:
        for root in ROOTS_STARTING_WITH_Ž:
            assert lat_to_cyr(prefix + root) == lat_to_cyr(prefix) + lat_to_cyr(root)


def test_roman_lookalikes_name_a_side():
    assert set(ROMAN_NUMERAL_LOOKALIKES.values()) <= {"both", "next", "either"}
    assert all(word.isupper() for word in ROMAN_NUMERAL_LOOKALIKES)
