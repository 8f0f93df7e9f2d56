"""Results of one wave on known data, the comparisons (which test per kind of item), breakdowns with
small groups suppressed, and the satisfaction change with its sentence (issue 12 item 4).

`make_survey`, `make_wave` and `add_responses` build exact data; the other results tests use them.
"""

import datetime
import secrets

import pytest
from django.utils import translation

from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services import breakdowns, comparisons, results

DAY = datetime.date(2026, 3, 1)


def _text(en):
    return {"en": en, "sr": "Питање", "bg": "Въпрос"}


def _options(*codes):
    return [{"code": code, "text": {"en": code.title(), "sr": code}} for code in codes]


ITEMS = [
    {"code": "overall", "kind": "scale", "required": True},
    {"code": "services", "kind": "matrix", "rows": _options("roads", "water")},
    {"code": "trust", "kind": "single", "options": _options("yes", "no", "dont-know")},
    {"code": "heard", "kind": "single", "options": _options("yes", "no")},
    {"code": "channels", "kind": "multiple", "options": _options("web", "office", "phone")},
    {"code": "visits", "kind": "number", "number_min": 0, "number_max": 100},
    {"code": "age", "kind": "single", "is_demographic": True, "options": _options("young", "old")},
    {"code": "comment", "kind": "text"},
    {"code": "intro", "kind": "section"},
]


def make_survey(municipality, *, items=ITEMS, previous=None, **extra):
    survey = Survey.objects.create(
        municipality=municipality,
        title={"en": "Satisfaction", "sr": "Задовољство"},
        languages=["sr", "en"],
        public_token=secrets.token_urlsafe(16),
        previous_version=previous,
        **extra,
    )
    for position, spec in enumerate(items):
        Item.objects.create(
            survey=survey, position=position, text=_text(spec["code"].title()), **spec
        )
    return survey


def make_wave(survey, name="Before", status=Wave.Status.CLOSED, position=0):
    return Wave.objects.create(survey=survey, name=name, status=status, position=position)


def add_responses(wave, answers, channel="web", language="en"):
    Response.objects.bulk_create(
        Response(wave=wave, answers=a, channel=channel, language=language, submitted_on=DAY)
        for a in answers
    )


def overall(*values):
    return [{"overall": v} for v in values]


# --------------------------------------------------------------------------- one wave


@pytest.fixture
def known(world):
    survey = make_survey(world.a)
    wave = make_wave(survey)
    add_responses(
        wave,
        [
            {
                "overall": 5,
                "services": {"roads": 2, "water": 4},
                "trust": "yes",
                "heard": "yes",
                "channels": ["web", "office"],
                "visits": 3,
                "age": "young",
                "comment": "  =1+1 ",
            },
            {"overall": 4, "services": {"roads": 3}, "trust": "no", "channels": ["web"]},
            {"overall": 3, "trust": "yes", "channels": [], "visits": 7.5, "comment": ""},
            {"overall": 99, "trust": "maybe", "age": "old", "services": "bad"},
        ],
    )
    add_responses(wave, [{"overall": 1, "heard": "no"}], channel="paper")
    return survey, wave


def _item(results_, code):
    return next(r for r in results_.items if r.code == code)


def test_a_wave_is_aggregated_item_by_item(known):
    _survey, wave = known
    got = results.wave_results(wave, language="en", texts=True)
    assert got.responses == 5
    assert got.channels == {"web": 4, "paper": 1}
    # sections and demographic items are not shown alone; demographics offer breakdowns
    assert [r.code for r in got.items] == [
        "overall",
        "services",
        "trust",
        "heard",
        "channels",
        "visits",
        "comment",
    ]
    assert [i.code for i in got.demographics] == ["age"]

    scale = _item(got, "overall")
    assert (scale.answered, scale.skipped) == (4, 1)  # 99 is off the scale
    assert scale.summary.mean == pytest.approx(13 / 4)
    assert [b.count for b in scale.bars] == [1, 0, 1, 1, 1]
    assert scale.bars[0].share == pytest.approx(0.25)

    trust = _item(got, "trust")
    assert trust.answered == 3  # "maybe" is not an option
    assert [(b.key, b.count) for b in trust.bars] == [("yes", 2), ("no", 1), ("dont-know", 0)]
    assert trust.bars[0].ci_low < 2 / 3 < trust.bars[0].ci_high  # Wilson interval

    channels = _item(got, "channels")
    assert channels.answered == 3  # an empty list is an answer: none of them
    assert [b.count for b in channels.bars] == [2, 1, 0]
    assert channels.bars[0].share == pytest.approx(2 / 3)  # of respondents

    matrix = _item(got, "services")
    assert matrix.answered == 2
    roads, water = matrix.rows
    assert (roads.summary.n, roads.summary.mean) == (2, 2.5)
    assert (water.summary.n, water.summary.mean) == (1, 4.0)

    visits = _item(got, "visits")
    assert visits.summary.mean == pytest.approx(5.25)
    assert sum(b.count for b in visits.bars) == 2

    comment = _item(got, "comment")
    assert comment.answered == 1 and comment.texts == ["=1+1"]


def test_texts_are_listed_only_when_asked_and_small_items_can_be_withheld(known):
    _survey, wave = known
    got = results.wave_results(wave, language="en", min_answers=4)
    assert _item(got, "comment").texts == []
    assert _item(got, "comment").withheld  # one answer
    assert not _item(got, "overall").withheld  # four answers
    assert _item(got, "trust").withheld and _item(got, "trust").bars == []


def test_labels_follow_the_language_given(known):
    _survey, wave = known
    got = results.wave_results(wave, language="sr-latn")
    assert _item(got, "overall").question == "Pitanje"


# --------------------------------------------------------------------------- comparisons


def test_each_kind_is_compared_with_its_own_test(world):
    survey = make_survey(world.a)
    before, after = make_wave(survey, "Before"), make_wave(survey, "After", position=1)
    add_responses(
        before,
        [
            {
                "overall": 2 + i % 2,
                "services": {"roads": 2},
                "trust": ["yes", "no", "dont-know"][i % 3],
                "heard": "no" if i % 4 else "yes",
                "channels": ["web"] if i % 2 else ["office"],
                "visits": i,
            }
            for i in range(30)
        ],
    )
    add_responses(
        after,
        [
            {
                "overall": 4 + i % 2,
                "services": {"roads": 4, "water": 5},
                "trust": "yes",
                "heard": "yes",
                "channels": ["web", "phone"],
                "visits": i + 1,
            }
            for i in range(30)
        ],
    )
    compared = {c.code: c for c in comparisons.compare_waves(before, after, language="en")}
    tests = {code: [m.comparison.test for m in c.measures] for code, c in compared.items()}
    assert tests == {
        "overall": ["mann_whitney"],
        "services": ["mann_whitney", "mann_whitney"],
        "trust": ["chi_square"],
        "heard": ["two_proportions"],  # a yes/no question
        "channels": ["two_proportions"] * 3,  # each option of a multiple choice
        "visits": ["welch_t"],
    }
    scale = compared["overall"].measures[0]
    assert scale.comparison.verdict == "likely_change"
    assert scale.sentence == "The rise from 2.5 to 4.5 is unlikely to be chance."
    assert scale.change.difference == pytest.approx(2.0)
    heard = compared["heard"].measures[0]
    assert (heard.label, heard.before_text, heard.after_text) == ("Yes", "27%", "100%")  # 8 of 30
    assert compared["services"].measures[1].comparison.verdict == "too_few"  # water: 0 before
    assert compared["visits"].measures[0].sentence.startswith("The change from 14.5 to 15.5")
    assert compared["trust"].measures[0].sentence.endswith("unlikely to be chance.")
    assert compared["channels"].measures[2].effect_label == "large"


# --------------------------------------------------------------------------- breakdowns


def test_breakdown_hides_small_groups_and_one_more_when_only_one_is_hidden(world):
    survey = make_survey(
        world.a,
        items=[
            {"code": "overall", "kind": "scale"},
            {"code": "comment", "kind": "text"},
            {
                "code": "age",
                "kind": "single",
                "is_demographic": True,
                "options": _options("a", "b", "c"),
            },
        ],
    )
    wave = make_wave(survey)
    add_responses(
        wave,
        [{"overall": 5, "age": "a", "comment": "x"}] * 10
        + [{"overall": 2, "age": "b"}] * 6
        + [{"overall": 1, "age": "c"}] * 4,
    )
    got = breakdowns.breakdown(results.wave_results(wave, language="en", texts=True), "age")
    assert [(g.key, g.n, g.shown) for g in got.groups] == [
        ("a", 10, True),
        ("b", 6, False),  # complementary: otherwise c = total − a − b
        ("c", 4, False),
    ]
    assert got.hidden == 2
    assert [i.result.code for i in got.items] == ["overall"]  # texts never broken down
    [(group, result)] = got.items[0].groups
    assert group.key == "a" and result.summary.mean == 5.0


def test_breakdown_counts_those_who_did_not_answer_as_a_group(world):
    survey = make_survey(world.a)
    wave = make_wave(survey)
    add_responses(
        wave,
        [{"overall": 4, "age": "young"}] * 5
        + [{"overall": 3, "age": "old"}] * 6
        + overall(*[2] * 7),
    )
    got = breakdowns.breakdown(results.wave_results(wave, language="en"), "age")
    assert [(g.label, g.n, g.shown) for g in got.groups] == [
        ("Young", 5, True),
        ("Old", 6, True),
        ("No answer", 7, True),
    ]
    assert breakdowns.breakdown(results.wave_results(wave, language="en"), "trust") is None


# --------------------------------------------------------------------------- the evaluation


def test_satisfaction_change_needs_two_closed_waves_and_an_overall_item(world):
    survey = make_survey(world.a)
    add_responses(make_wave(survey), overall(*[3] * 25))
    make_wave(survey, "Open", status=Wave.Status.OPEN, position=1)
    assert results.satisfaction_change(survey) is None
    without = make_survey(world.a, items=[{"code": "trust", "kind": "single"}])
    make_wave(without)
    make_wave(without, "After", position=1)
    assert results.satisfaction_change(without) is None


@pytest.mark.parametrize(
    ("before", "after", "verdict", "sentence"),
    [
        (
            [3] * 30 + [2] * 10,
            [4] * 30 + [3] * 10,
            "likely_change",
            "The rise from 2.8 to 3.8 is unlikely to be chance.",
        ),
        (
            [4] * 30,
            [3] * 25 + [2] * 5,
            "likely_change",
            "The fall from 4.0 to 2.8 is unlikely to be chance.",
        ),
        (
            [3, 4] * 15,
            [3, 4] * 14 + [4, 4],
            "could_be_chance",
            "The change from 3.50 to 3.53 could be chance.",
        ),
        (
            [3] * 12,
            [4] * 30,
            "too_few",
            "Too few answers to tell (12 before, 30 after; at least 20 each are needed).",
        ),
    ],
)
def test_satisfaction_change_in_plain_words(world, before, after, verdict, sentence):
    survey = make_survey(world.a)
    add_responses(make_wave(survey, "Before"), overall(*before))
    add_responses(make_wave(survey, "After", position=2), overall(*after))
    make_wave(survey, "Unused", position=3)  # closed without answers: not the last one
    change = results.satisfaction_change(survey)
    assert (change.before_wave.name, change.after_wave.name) == ("Before", "After")
    assert (change.before.n, change.after.n) == (len(before), len(after))
    assert change.comparison.verdict == verdict
    assert change.sentence == sentence
    assert change.difference == pytest.approx(sum(after) / len(after) - sum(before) / len(before))


def test_satisfaction_change_follows_earlier_versions(world):
    old = make_survey(world.a)
    add_responses(make_wave(old, "Before"), overall(*[2] * 25))
    new = make_survey(world.a, previous=old)
    add_responses(make_wave(new, "After"), overall(*[4] * 25))
    make_wave(new, "Now", status=Wave.Status.OPEN, position=1)
    change = results.satisfaction_change(new)
    assert (change.before_wave.survey, change.after_wave.survey) == (old, new)
    assert change.sentence == "The rise from 2.0 to 4.0 is unlikely to be chance."


@pytest.mark.parametrize("language", ["bg", "sr", "bs"])
def test_the_sentence_is_given_in_the_readers_language(world, language):
    survey = make_survey(world.a)
    add_responses(make_wave(survey, "Before"), overall(*([3] * 30 + [2] * 10)))
    add_responses(make_wave(survey, "After", position=1), overall(*([4] * 30 + [3] * 10)))
    change = results.satisfaction_change(survey)
    with translation.override(language):
        sentence = change.sentence
    assert "2,8" in sentence and "3,8" in sentence  # the locale's decimal comma
    with translation.override("en"):
        assert change.sentence != sentence or language == "en"


def test_breakdown_can_withhold_a_groups_answers_to_an_item_few_of_them_gave(world):
    survey = make_survey(world.a)
    wave = make_wave(survey)
    add_responses(
        wave,
        [{"overall": 4, "age": "young", "trust": "yes"}] * 8
        + [{"overall": 2, "age": "old"}] * 4
        + [{"overall": 2, "age": "old", "trust": "no"}] * 2,
    )
    whole = results.wave_results(wave, language="en")
    public = breakdowns.breakdown(whole, "age", min_answers=results.MIN_GROUP)
    trust = next(i for i in public.items if i.result.code == "trust")
    assert [(g.key, r.withheld) for g, r in trust.groups] == [("young", False), ("old", True)]
    assert trust.width == 3
    inside = breakdowns.breakdown(whole, "age")
    trust = next(i for i in inside.items if i.result.code == "trust")
    assert [r.answered for _g, r in trust.groups] == [8, 2]


@pytest.mark.parametrize(
    ("before", "after", "numbers"),
    [
        ([3] * 30 + [2] * 10, [4] * 30 + [3] * 10, ("2,8", "3,8")),  # likely change
        ([3, 4] * 15, [3, 4] * 14 + [4, 4], ("3,50", "3,53")),  # could be chance
        ([3] * 12, [4] * 30, ("12", "30", "20")),  # too few
    ],
)
def test_every_verdict_has_a_bulgarian_sentence(world, before, after, numbers):
    survey = make_survey(world.a)
    add_responses(make_wave(survey, "Before"), overall(*before))
    add_responses(make_wave(survey, "After", position=1), overall(*after))
    change = results.satisfaction_change(survey)
    with translation.override("bg"):
        sentence = change.sentence
    assert sentence and all(number in sentence for number in numbers)
