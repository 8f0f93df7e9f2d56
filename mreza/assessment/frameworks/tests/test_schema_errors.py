"""Each kind of validation error is reported at its exact place (path and YAML line)."""

from __future__ import annotations

import pytest
import yaml

from ..schema import (
    FrameworkError,
    FrameworkInvalid,
    check_framework,
    iter_subcriteria,
    load_framework,
    validate_framework,
)

# A small valid framework: three criteria, the third with two subcriteria.
BASE = """\
format: mreza-framework/1
code: mini
version: "1"
name: {en: Mini, sr: Мини, bg: Мини}
description: {en: Tiny framework, sr: Мали оквир, bg: Малка рамка}
source:
  publisher: Test publisher
  licence: {en: Free, sr: Слободно, bg: Свободно}
languages: [en, sr, bg]
scoring_methods: [classic]
panels:
  - code: simple
    kind: enablers
    method: classic
    name: {en: Simple, sr: Једноставно, bg: Просто}
    min: 0
    max: 10
    step: 1
    bands:
      - range: [0, 4]
        meaning: {en: Low, sr: Ниско, bg: Ниско}
      - range: [5, 10]
        meaning: {en: High, sr: Високо, bg: Високо}
  - code: outcome
    kind: results
    method: classic
    name: {en: Outcome, sr: Исход, bg: Изход}
    min: 0
    max: 10
    step: 1
    bands:
      - range: [0, 10]
        meaning: {en: Any result, sr: Било који, bg: Всеки}
criteria:
  - code: "1"
    panels: {classic: simple}
    title: {en: C1 title, sr: Наслов, bg: Заглавие}
    description: {en: C1 text, sr: Опис, bg: Описание}
    subcriteria:
      - code: "1.1"
        title: {en: C1S1 title, sr: Наслов, bg: Заглавие}
        description: {en: C1S1 text, sr: Опис, bg: Описание}
        examples:
          - {en: C1S1 example, sr: Пример, bg: Пример}
  - code: "2"
    panels: {classic: simple}
    title: {en: C2 title, sr: Наслов, bg: Заглавие}
    description: {en: C2 text, sr: Опис, bg: Описание}
    subcriteria:
      - code: "2.1"
        title: {en: C2S1 title, sr: Наслов, bg: Заглавие}
        description: {en: C2S1 text, sr: Опис, bg: Описание}
  - code: "3"
    panels: {classic: outcome}
    title: {en: C3 title, sr: Наслов, bg: Заглавие}
    description: {en: C3 text, sr: Опис, bg: Описание}
    subcriteria:
      - code: "3.1"
        title: {en: C3S1 title, sr: Наслов, bg: Заглавие}
        description: {en: C3S1 text, sr: Опис, bg: Описание}
      - code: "3.2"
        title: {en: C3S2 title, sr: Наслов, bg: Заглавие}
        description: {en: C3S2 text, sr: Опис, bg: Описание}
"""

FINE_TUNED_PANEL = """\
  - code: pdca
    kind: enablers
    method: fine_tuned
    name: {en: PDCA, sr: Фазе, bg: Фази}
    min: 0
    max: 10
    step: 1
    combine: mean
    dimensions:
      - code: plan
        name: {en: Plan, sr: План, bg: План}
      - code: do
        name: {en: Do, sr: Рад, bg: Работа}
    bands:
      - range: [0, 10]
        meaning: {en: Any, sr: Било који, bg: Всеки}
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """1-based line number of the single line containing *marker*."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) == 1, f"{marker!r} found on lines {hits}"
    return hits[0]


def error_at(errors: list[FrameworkError], path: str) -> FrameworkError:
    found = [e for e in errors if e.path == path]
    assert found, f"no error at {path}; got:\n" + "\n".join(map(str, errors))
    return found[0]


def assert_error(text: str, path: str, message: str, marker: str) -> FrameworkError:
    err = error_at(check_framework(text), path)
    assert message in err.message, str(err)
    assert err.line == line_of(text, marker), str(err)
    return err


def with_fine_tuned(text: str) -> str:
    text = edit(text, "scoring_methods: [classic]", "scoring_methods: [classic, fine_tuned]")
    return edit(text, "\ncriteria:\n", "\n" + FINE_TUNED_PANEL + "criteria:\n")


# ------------------------------------------------------------------ valid input


def test_base_snippet_is_valid():
    assert check_framework(BASE) == []
    data = load_framework(BASE)
    assert [s["code"] for c in data["criteria"] for s in c["subcriteria"]] == [
        "1.1", "2.1", "3.1", "3.2",
    ]  # fmt: skip


def test_subcriterion_override_takes_precedence():
    text = edit(
        BASE,
        '      - code: "3.2"\n',
        '      - code: "3.2"\n        panels: {classic: simple}\n',
    )
    text = edit(text, '  - code: "1"\n    panels: {classic: simple}\n', '  - code: "1"\n')
    text = edit(
        text, '      - code: "1.1"\n', '      - code: "1.1"\n        panels: {classic: simple}\n'
    )
    data = load_framework(text)
    resolved = {sub["code"]: panels["classic"]["code"] for _, sub, panels in iter_subcriteria(data)}
    assert resolved == {"1.1": "simple", "2.1": "simple", "3.1": "outcome", "3.2": "simple"}


def test_fine_tuned_panel_with_dimensions_is_valid():
    text = with_fine_tuned(BASE)
    text = edit(
        text,
        '  - code: "1"\n    panels: {classic: simple}\n',
        '  - code: "1"\n    panels: {classic: simple, fine_tuned: pdca}\n',
    )
    text = edit(
        text,
        '  - code: "2"\n    panels: {classic: simple}\n',
        '  - code: "2"\n    panels: {classic: simple, fine_tuned: pdca}\n',
    )
    # criterion 3 is a results criterion: give it a results fine-tuned panel.
    text = edit(
        text,
        "\ncriteria:\n",
        "\n"
        + FINE_TUNED_PANEL.replace("code: pdca", "code: tt").replace(
            "kind: enablers", "kind: results"
        )
        + "criteria:\n",
    )
    text = edit(
        text,
        "    panels: {classic: outcome}\n",
        "    panels: {classic: outcome, fine_tuned: tt}\n",
    )
    assert check_framework(text) == []


# ------------------------------------------------------------------ texts and languages


def test_missing_translation_is_reported_with_exact_place():
    text = edit(
        BASE,
        "title: {en: C3S2 title, sr: Наслов, bg: Заглавие}",
        "title: {en: C3S2 title, sr: Наслов}",
    )
    err = assert_error(
        text, "criteria[2].subcriteria[1].title.bg", "missing translation", "C3S2 title"
    )
    line = line_of(text, "C3S2 title")
    assert str(err) == f"criteria[2].subcriteria[1].title.bg: missing translation (line {line})"


def test_missing_translation_in_example_and_band():
    text = edit(
        BASE, "{en: C1S1 example, sr: Пример, bg: Пример}", "{en: C1S1 example, bg: Пример}"
    )
    assert_error(
        text, "criteria[0].subcriteria[0].examples[0].sr", "missing translation", "C1S1 example"
    )
    text = edit(
        BASE, "meaning: {en: High, sr: Високо, bg: Високо}", "meaning: {en: High, sr: Високо}"
    )
    assert_error(text, "panels[0].bands[1].meaning.bg", "missing translation", "en: High")


def test_empty_translation():
    text = edit(
        BASE, "{en: C2 text, sr: Опис, bg: Описание}", "{en: C2 text, sr: '', bg: Описание}"
    )
    assert_error(text, "criteria[1].description.sr", "empty translation", "C2 text")


def test_text_must_be_a_language_mapping():
    text = edit(BASE, "title: {en: C2 title, sr: Наслов, bg: Заглавие}", "title: Just English")
    assert_error(text, "criteria[1].title", "mapping of language code to text", "Just English")


def test_sr_latn_must_not_be_stored():
    text = edit(
        BASE,
        "title: {en: C2S1 title, sr: Наслов, bg: Заглавие}",
        "title: {en: C2S1 title, sr: Наслов, sr-latn: Naslov, bg: Заглавие}",
    )
    assert_error(text, "criteria[1].subcriteria[0].title.sr-latn", "derived from sr", "C2S1 title")
    text = edit(BASE, "languages: [en, sr, bg]", "languages: [en, sr, sr-latn, bg]")
    assert_error(text, "languages[2]", "derived from sr", "languages:")


def test_unknown_language():
    text = edit(
        BASE,
        "title: {en: C1 title, sr: Наслов, bg: Заглавие}",
        "title: {en: C1 title, sr: Наслов, bg: Заглавие, de: Titel}",
    )
    assert_error(text, "criteria[0].title.de", "unknown language 'de'", "C1 title")


def test_english_is_required():
    text = edit(BASE, "languages: [en, sr, bg]", "languages: [sr, bg]")
    assert_error(text, "languages", "'en' is required", "languages:")


def test_serbian_must_be_cyrillic_and_bosnian_latin():
    text = edit(
        BASE,
        "description: {en: C3S1 text, sr: Опис, bg: Описание}",
        "description: {en: C3S1 text, sr: Opis kriterijuma CAF, bg: Описание}",
    )
    err = assert_error(
        text, "criteria[2].subcriteria[0].description.sr", "expected Cyrillic", "C3S1 text"
    )
    assert "CAF" not in err.message  # acronyms are allowed in Cyrillic text
    text = edit(BASE, "languages: [en, sr, bg]", "languages: [en, bs, sr, bg]")
    text = edit(
        text,
        "name: {en: Mini, sr: Мини, bg: Мини}",
        "name: {en: Mini, bs: Мини, sr: Мини, bg: Мини}",
    )
    err = error_at(check_framework(text), "name.bs")
    assert "Cyrillic" in err.message and err.line == line_of(text, "name: {en: Mini")


# ------------------------------------------------------------------ format, keys, codes


def test_format_tag_missing_or_wrong():
    text = edit(BASE, "format: mreza-framework/1\n", "")
    errors = check_framework(text)
    assert [e.path for e in errors] == ["format"]
    assert "missing format tag" in errors[0].message
    text = edit(BASE, "format: mreza-framework/1", "format: mreza-framework/2")
    assert_error(text, "format", "unsupported format 'mreza-framework/2'", "format:")


def test_missing_required_key_points_at_parent():
    text = edit(BASE, "    description: {en: C2 text, sr: Опис, bg: Описание}\n", "")
    assert_error(text, "criteria[1].description", "missing required key", '- code: "2"')


def test_unknown_key_is_reported():
    text = edit(BASE, '      - code: "2.1"\n', '      - code: "2.1"\n        weight: 2\n')
    assert_error(text, "criteria[1].subcriteria[0].weight", "unknown key 'weight'", "weight: 2")


def test_unquoted_numeric_code():
    text = edit(BASE, '      - code: "3.1"', "      - code: 3.1")
    assert_error(text, "criteria[2].subcriteria[0].code", "quote it", "code: 3.1")


def test_duplicate_criterion_code():
    text = edit(BASE, '  - code: "2"\n', '  - code: "1"\n')
    text = edit(text, '      - code: "2.1"', '      - code: "1.2"')
    err = error_at(check_framework(text), "criteria[1].code")
    assert "duplicate criterion code '1'" in err.message
    assert err.line == line_of(text, "C2 title") - 2


def test_duplicate_subcriterion_code():
    text = edit(BASE, '      - code: "3.2"', '      - code: "3.1"')
    errors = check_framework(text)
    err = error_at(errors, "criteria[2].subcriteria[1].code")
    assert "duplicate subcriterion code '3.1'" in err.message
    assert "criteria[2].subcriteria[0].code" in err.message
    assert err.line == line_of(text, "C3S2 title") - 1


def test_subcriterion_code_must_start_with_criterion_code():
    text = edit(BASE, '      - code: "2.1"', '      - code: "4.1"')
    assert_error(
        text, "criteria[1].subcriteria[0].code", "must start with its criterion code '2.'", '"4.1"'
    )
    text = edit(BASE, '      - code: "2.1"', '      - code: "21"')
    assert_error(text, "criteria[1].subcriteria[0].code", "must start with", '"21"')


def test_duplicate_yaml_key():
    text = edit(BASE, "code: mini\n", "code: mini\ncode: maxi\n")
    assert_error(text, "code", "duplicate key 'code'", "code: maxi")


def test_yaml_syntax_error_has_line():
    text = edit(
        BASE,
        "    min: 0\n    max: 10\n    step: 1\n    bands:\n      - range: [0, 4]",
        "    min: 0\n    max: 10\n    step: 1\n    bands:\n      - range: [0, 4",
    )
    (err,) = check_framework(text)
    assert err.path == "" and "YAML syntax error" in err.message
    assert err.line is not None and err.line >= line_of(text, "range: [0, 4\n".strip())


# ------------------------------------------------------------------ panels and bands


def test_band_gap():
    text = edit(
        BASE,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [6, 10]\n        meaning: {en: High",
    )
    assert_error(text, "panels[0].bands[1].range", "gap: values 5..5", "range: [6, 10]")


def test_band_overlap():
    text = edit(
        BASE,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [3, 10]\n        meaning: {en: High",
    )
    assert_error(text, "panels[0].bands[1].range", "overlap: values 3..4", "range: [3, 10]")


def test_bands_must_reach_min_and_max():
    text = edit(
        BASE,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [5, 9]\n        meaning: {en: High",
    )
    assert_error(text, "panels[0].bands[1].range", "gap: values 10..10", "range: [5, 9]")
    text = edit(BASE, "      - range: [0, 4]", "      - range: [1, 4]")
    assert_error(text, "panels[0].bands[0].range", "gap: values 0..0", "range: [1, 4]")


def test_band_outside_scale_and_reversed():
    text = edit(
        BASE,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [5, 12]\n        meaning: {en: High",
    )
    assert_error(text, "panels[0].bands[1].range", "outside the scale 0..10", "range: [5, 12]")
    text = edit(
        BASE,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [10, 5]\n        meaning: {en: High",
    )
    assert_error(text, "panels[0].bands[1].range", "greater than high end", "range: [10, 5]")


def test_bands_out_of_order():
    text = edit(BASE, "      - range: [0, 4]", "      - range: [X]")
    text = edit(
        text,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [0, 4]\n        meaning: {en: High",
    )
    text = edit(text, "      - range: [X]", "      - range: [5, 10]")
    err = error_at(check_framework(text), "panels[0].bands")
    assert "ascending order" in err.message
    assert err.line == line_of(text, "range: [5, 10]") - 1  # the `bands:` line


def test_step_must_divide_range_and_bands_sit_on_grid():
    text = edit(
        BASE,
        "    max: 10\n    step: 1\n    bands:\n      - range: [0, 4]",
        "    max: 10\n    step: 3\n    bands:\n      - range: [0, 4]",
    )
    assert_error(text, "panels[0].step", "step 3 does not divide the range 0..10", "step: 3")
    text = edit(
        BASE,
        "    max: 10\n    step: 1\n    bands:\n      - range: [0, 4]",
        "    max: 10\n    step: 2\n    bands:\n      - range: [0, 4]",
    )
    text = edit(
        text,
        "      - range: [5, 10]\n        meaning: {en: High",
        "      - range: [5, 10]\n        meaning: {en: High",
    )
    assert_error(
        text,
        "panels[0].bands[1].range",
        "step 2 grid",
        "range: [5, 10]\n        meaning: {en: High".splitlines()[0],
    )


def test_max_must_exceed_min():
    text = edit(
        BASE,
        "    min: 0\n    max: 10\n    step: 1\n    bands:\n      - range: [0, 4]",
        "    min: 10\n    max: 10\n    step: 1\n    bands:\n      - range: [0, 4]",
    )
    err = error_at(check_framework(text), "panels[0].max")
    assert "must be greater than min" in err.message
    assert err.line == line_of(text, "min: 10") + 1


def test_unknown_kind_and_method():
    text = edit(BASE, "    kind: enablers", "    kind: inputs")
    assert_error(text, "panels[0].kind", "unknown kind 'inputs'", "kind: inputs")
    text = edit(
        BASE, "    kind: results\n    method: classic", "    kind: results\n    method: fine_tuned"
    )
    assert_error(text, "panels[1].method", "not listed in scoring_methods", "method: fine_tuned")


def test_maturity_kind_needs_maturity_method():
    text = edit(
        BASE, "    kind: results\n    method: classic", "    kind: maturity\n    method: classic"
    )
    assert_error(
        text, "panels[1].kind", "kind 'maturity' goes with method 'maturity'", "kind: maturity"
    )


def test_fine_tuned_needs_dimensions_and_combine():
    text = with_fine_tuned(BASE)
    text = edit(text, "    combine: mean\n", "")
    errors = check_framework(text)
    err = error_at(errors, "panels[2].combine")
    assert "needs combine" in err.message and err.line == line_of(text, "code: pdca")
    text = with_fine_tuned(BASE)
    text = edit(
        text,
        "    dimensions:\n      - code: plan\n        name: {en: Plan, sr: План, bg: План}\n"
        "      - code: do\n        name: {en: Do, sr: Рад, bg: Работа}\n",
        "",
    )
    assert_error(text, "panels[2].dimensions", "method fine_tuned needs dimensions", "code: pdca")


def test_duplicate_dimension_code():
    text = with_fine_tuned(BASE)
    text = edit(text, "      - code: do\n", "      - code: plan\n")
    err = error_at(check_framework(text), "panels[2].dimensions[1].code")
    assert "duplicate dimension code 'plan'" in err.message
    assert err.line == line_of(text, "name: {en: Do") - 1


def test_dimensions_only_for_fine_tuned():
    text = edit(
        BASE,
        "    name: {en: Outcome, sr: Исход, bg: Изход}\n",
        "    name: {en: Outcome, sr: Исход, bg: Изход}\n"
        "    dimensions:\n      - code: trends\n"
        "        name: {en: Trends, sr: Трендови, bg: Тенденции}\n",
    )
    assert_error(
        text, "panels[1].dimensions", "only used with method fine_tuned", "    dimensions:"
    )


def test_duplicate_panel_code():
    text = edit(BASE, "  - code: outcome", "  - code: simple")
    text = edit(text, "    panels: {classic: outcome}", "    panels: {classic: simple}")
    err = error_at(check_framework(text), "panels[1].code")
    assert "duplicate panel code 'simple'" in err.message
    assert err.line == line_of(text, "name: {en: Outcome") - 3


# ------------------------------------------------------------------ panel references


def test_unknown_panel_reference():
    text = edit(BASE, "    panels: {classic: outcome}", "    panels: {classic: outcomes}")
    err = assert_error(
        text, "criteria[2].panels.classic", "unknown panel 'outcomes'", "{classic: outcomes}"
    )
    errors = check_framework(text)
    # reported once at the criterion, not again for each of its subcriteria
    assert [e.path for e in errors if e.path.startswith("criteria[2]")] == [err.path]


def test_reference_to_panel_of_other_method():
    text = with_fine_tuned(BASE)
    text = edit(text, "    panels: {classic: outcome}", "    panels: {classic: pdca}")
    assert_error(
        text,
        "criteria[2].panels.classic",
        "uses method 'fine_tuned', not 'classic'",
        "{classic: pdca}",
    )


def test_reference_to_method_not_offered():
    text = edit(
        BASE, "    panels: {classic: outcome}", "    panels: {classic: outcome, maturity: outcome}"
    )
    assert_error(
        text, "criteria[2].panels.maturity", "not listed in scoring_methods", "maturity: outcome"
    )


def test_every_subcriterion_needs_a_panel_per_method():
    text = with_fine_tuned(BASE)
    errors = check_framework(text)
    err = error_at(errors, "criteria[0].subcriteria[0]")
    assert "no panel for scoring method 'fine_tuned'" in err.message
    assert "criteria[0].panels.fine_tuned" in err.message
    assert err.line == line_of(text, '- code: "1.1"')


def test_subcriterion_override_cannot_mix_kinds():
    text = with_fine_tuned(BASE)
    text = edit(
        text,
        '      - code: "3.2"\n',
        '      - code: "3.2"\n        panels: {fine_tuned: pdca}\n',
    )
    err = error_at(check_framework(text), "criteria[2].subcriteria[1].panels")
    assert "panels of different kinds" in err.message
    assert err.line == line_of(text, "{fine_tuned: pdca}")


def test_unused_panel_is_reported():
    text = edit(BASE, "    panels: {classic: outcome}", "    panels: {classic: simple}")
    assert_error(text, "panels[1].code", "not used by any criterion", "code: outcome")


def test_scoring_method_without_panel():
    text = edit(BASE, "scoring_methods: [classic]", "scoring_methods: [classic, maturity]")
    err = error_at(check_framework(text), "panels")
    assert "no panel for scoring method 'maturity'" in err.message


# ------------------------------------------------------------------ API behaviour


def test_load_raises_framework_invalid_with_all_errors():
    text = edit(BASE, "title: {en: C1 title, sr: Наслов, bg: Заглавие}", "title: {en: C1 title}")
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(text)
    paths = [e.path for e in info.value.errors]
    assert paths == ["criteria[0].title.sr", "criteria[0].title.bg"]
    assert "criteria[0].title.bg: missing translation" in str(info.value)


def test_load_from_path(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_framework(path)["code"] == "mini"
    assert load_framework(str(path))["code"] == "mini"
    bad = tmp_path / "bad.yaml"
    bad.write_text(edit(BASE, "code: mini", "code: Mini!"), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(bad)
    assert info.value.source == str(bad)
    assert info.value.errors[0].path == "code"


def test_validate_plain_data_has_no_lines():
    data = yaml.safe_load(BASE)
    assert validate_framework(data) == []
    del data["criteria"][2]["subcriteria"][1]["title"]["bg"]
    (err,) = validate_framework(data)
    assert err == FrameworkError("criteria[2].subcriteria[1].title.bg", "missing translation", None)


def test_non_mapping_documents():
    (err,) = check_framework("- just\n- a list\n")
    assert err.message.startswith("document must be a mapping")
    (err,) = check_framework("")
    assert err.message == "document is empty"
