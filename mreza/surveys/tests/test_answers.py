"""The pure validation of one submitted questionnaire (mreza/surveys/answers.py)."""

from decimal import Decimal

import pytest

from mreza.surveys.answers import ItemSpec, ShowIf, clean_answers, field_name

SPECS = [
    ItemSpec("intro", "section"),
    ItemSpec(
        "services", "matrix", required=True, rows=("documents", "roads"), scale_min=1, scale_max=5
    ),
    ItemSpec("overall", "scale", required=True, scale_min=1, scale_max=5),
    ItemSpec("trust", "single", options=("yes", "no", "dont_know")),
    ItemSpec(
        "why_not",
        "text",
        required=True,
        show_if=ShowIf("trust", frozenset({"no"})),
    ),
    ItemSpec("channels", "multiple", options=("web", "office", "phone")),
    ItemSpec("visits", "number", number_min=Decimal("0"), number_max=Decimal("365")),
    ItemSpec("comment", "text"),
]


def raw(**values):
    """{"overall": "4", "services__roads": "3"} → the form fields (a dot in a name: "__")."""
    out = {}
    for key, value in values.items():
        code, _, row = key.partition("__")
        out[field_name(code, row or None)] = value if isinstance(value, list) else [value]
    return out


VALID = raw(services__documents="4", services__roads="2", overall="5")


def test_a_complete_answer_is_stored_by_kind():
    answers, errors = clean_answers(
        SPECS,
        {
            **VALID,
            **raw(
                trust="yes",
                channels=["phone", "web", "web"],
                visits="12",
                comment="  Better roads,\r\nplease. ",
            ),
        },
    )
    assert errors == {}
    assert answers == {
        "services": {"documents": 4, "roads": 2},
        "overall": 5,
        "trust": "yes",
        "channels": ["web", "phone"],  # duplicates dropped, in the options' order
        "visits": 12,
        "comment": "Better roads,\nplease.",
    }
    assert isinstance(answers["visits"], int)


def test_missing_required_answers_are_errors_per_item():
    cleaned = clean_answers(SPECS, raw(trust="yes"))
    assert cleaned.errors == {"services": "required", "overall": "required"}
    assert not cleaned.ok


def test_a_half_answered_required_matrix_is_incomplete():
    _answers, errors = clean_answers(SPECS, raw(services__roads="3", overall="3"))
    assert errors == {"services": "incomplete"}


def test_an_optional_matrix_may_be_answered_in_part():
    specs = [ItemSpec("m", "matrix", rows=("a", "b"))]
    assert clean_answers(specs, raw(m__a="2")).answers == {"m": {"a": 2}}


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (raw(overall="6"), "out_of_range"),
        (raw(overall="0"), "out_of_range"),
        (raw(overall="3.5"), "not_a_whole_number"),
        (raw(overall="three"), "not_a_whole_number"),
        (raw(overall=["3", "4"]), "one_value"),
        (raw(overall="9" * 100), "not_a_number"),
    ],
)
def test_bad_scale_values_are_refused(values, code):
    assert clean_answers(SPECS, {**VALID, **values}).errors == {"overall": code}


@pytest.mark.parametrize(
    ("item", "values", "code"),
    [
        ("trust", raw(trust="maybe"), "invalid_choice"),
        ("trust", raw(trust=["yes", "no"]), "one_value"),
        ("channels", raw(channels=["web", "fax"]), "invalid_choice"),
        ("channels", raw(channels=["web"] * 50), "invalid_choice"),
        ("services", raw(services__documents="4", services__roads="7"), "out_of_range"),
        ("visits", raw(visits="-1"), "out_of_range"),
        ("visits", raw(visits="366"), "out_of_range"),
        ("visits", raw(visits="many"), "not_a_number"),
        ("visits", raw(visits="NaN"), "not_a_number"),
        ("visits", raw(visits="Infinity"), "not_a_number"),
        ("visits", raw(visits="1e400"), "out_of_range"),
        ("comment", raw(comment="x" * 2001), "too_long"),
        ("comment", raw(comment="bell\x07"), "control_character"),
        ("comment", raw(comment="nul\x00"), "control_character"),
        ("comment", raw(comment=["a", "b"]), "one_value"),
    ],
)
def test_bad_values_of_each_kind_are_refused(item, values, code):
    assert clean_answers(SPECS, {**VALID, **values}).errors == {item: code}


def test_numbers_accept_a_decimal_comma_and_keep_fractions():
    specs = [ItemSpec("km", "number")]
    assert clean_answers(specs, raw(km="2,5")).answers == {"km": 2.5}
    assert clean_answers(specs, raw(km=" 1 000 ")).answers == {"km": 1000}


def test_texts_keep_tabs_and_line_breaks_and_the_limit_is_inclusive():
    specs = [ItemSpec("c", "text")]
    assert clean_answers(specs, raw(c="a\tb\nc")).answers == {"c": "a\tb\nc"}
    assert clean_answers(specs, raw(c="x" * 2000)).answers == {"c": "x" * 2000}


def test_blank_values_are_no_answer():
    answers, errors = clean_answers(SPECS, {**VALID, **raw(trust="", comment="   ", visits="")})
    assert errors == {}
    assert set(answers) == {"services", "overall"}


def test_a_hidden_item_is_dropped_and_not_required():
    answers, errors = clean_answers(SPECS, {**VALID, **raw(trust="yes", why_not="sent anyway")})
    assert errors == {}
    assert "why_not" not in answers


def test_a_hidden_item_with_a_bad_value_is_dropped_without_error():
    _answers, errors = clean_answers(SPECS, {**VALID, **raw(why_not="\x07")})
    assert errors == {}


def test_a_shown_item_is_required_and_kept():
    cleaned = clean_answers(SPECS, {**VALID, **raw(trust="no")})
    assert cleaned.errors == {"why_not": "required"}
    answers, errors = clean_answers(SPECS, {**VALID, **raw(trust="no", why_not="Nobody replies")})
    assert errors == {}
    assert answers["why_not"] == "Nobody replies"


def test_show_if_on_a_multiple_choice_and_chains():
    specs = [
        ItemSpec("uses", "multiple", options=("web", "office")),
        ItemSpec(
            "web_ok", "single", options=("yes", "no"), show_if=ShowIf("uses", frozenset({"web"}))
        ),
        ItemSpec("web_why", "text", show_if=ShowIf("web_ok", frozenset({"no"}))),
    ]
    both = raw(uses=["office", "web"], web_ok="no", web_why="slow")
    assert clean_answers(specs, both).answers == {
        "uses": ["web", "office"],
        "web_ok": "no",
        "web_why": "slow",
    }
    # web unticked: web_ok is hidden, so web_why (which depends on it) is hidden too
    office = raw(uses="office", web_ok="no", web_why="slow")
    assert clean_answers(specs, office).answers == {"uses": ["office"]}


def test_a_condition_on_a_missing_item_shows_the_item_and_a_cycle_hides_it():
    specs = [
        ItemSpec("a", "text", show_if=ShowIf("gone", frozenset({"x"}))),
        ItemSpec("b", "single", options=("x",), show_if=ShowIf("c", frozenset({"x"}))),
        ItemSpec("c", "single", options=("x",), show_if=ShowIf("b", frozenset({"x"}))),
    ]
    assert clean_answers(specs, raw(a="kept", b="x", c="x")).answers == {"a": "kept"}


def test_unknown_answer_fields_are_ignored_and_reported():
    sent = {
        **VALID,
        "q.nope": ["1"],
        "q.services.water": ["5"],
        "q.intro": ["section has no answer"],
        "csrfmiddlewaretoken": ["abc"],
        "token": ["signed"],
    }
    cleaned = clean_answers(SPECS, sent)
    assert cleaned.ok
    assert cleaned.unknown == ("q.intro", "q.nope", "q.services.water")
    assert set(cleaned.answers) == {"services", "overall"}


def test_a_plain_mapping_of_strings_is_accepted():
    assert clean_answers([ItemSpec("s", "scale")], {"q.s": "2"}).answers == {"s": 2}


def test_fields_of_an_item():
    assert SPECS[1].fields() == ("q.services.documents", "q.services.roads")
    assert SPECS[0].fields() == ()
    assert SPECS[2].fields() == ("q.overall",)
