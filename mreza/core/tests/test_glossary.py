"""One term per concept per language: the catalogues and framework texts follow docs/glossary/.

Each glossary names, per concept, the one term translators use and the variants they must not use
(regular expressions, matched at the start of a word). This test reads every translation (msgstr)
and every framework text of the language and reports each forbidden variant with the text it
occurs in.
"""

import re
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GLOSSARY_DIR = ROOT / "docs" / "glossary"
FRAMEWORKS_DIR = ROOT / "mreza" / "assessment" / "frameworks"
LANGUAGES = ("bs", "hr", "sr", "sr-ijekavsk", "bg")
REQUIRED_CONCEPTS = {
    "self-assessment",
    "subcriterion",
    "criterion",
    "consensus",
    "improvement plan",
    "municipality",
    "network",
    "partnership",
    "coordinator",
    "assessor",
    "learning profile",
    "round (grouping round)",
    "area for improvement",
    "strength",
}


def load_glossary(language):
    return yaml.safe_load((GLOSSARY_DIR / f"{language}.yaml").read_text(encoding="utf-8"))


def forbidden_patterns(glossary):
    return [
        (term["concept"], term["term"], re.compile(rf"(?<!\w)(?:{pattern})", re.IGNORECASE))
        for term in glossary["terms"]
        for pattern in term["forbidden"]
    ]


def violations(glossary, texts):
    """(concept, the one term, the variant found, the text) for each forbidden variant in
    ``texts``."""
    found = []
    patterns = forbidden_patterns(glossary)
    for text in texts:
        for concept, term, pattern in patterns:
            for match in pattern.finditer(text):
                found.append((concept, term, match.group(0), text[:120]))
    return found


def catalogue_texts(glossary):
    po = polib.pofile(str(ROOT / "locale" / glossary["catalogue"] / "LC_MESSAGES" / "django.po"))
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgstr:
            yield entry.msgstr
        yield from (text for text in entry.msgstr_plural.values() if text)


def framework_texts(key):
    """Every string stored under ``key`` in the framework files (names, descriptions, examples,
    bands …)."""

    def walk(node):
        if isinstance(node, dict):
            for k, value in node.items():
                if k == key and isinstance(value, str):
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_covers_the_key_concepts(language):
    glossary = load_glossary(language)
    assert glossary["language"] == language
    concepts = {term["concept"] for term in glossary["terms"]}
    assert concepts >= REQUIRED_CONCEPTS, sorted(REQUIRED_CONCEPTS - concepts)
    for term in glossary["terms"]:
        assert term["term"], term
        # The chosen term must not itself be one of its forbidden variants.
        assert not violations({"terms": [term]}, [term["term"]]), term


def test_every_language_has_the_same_concepts():
    concept_sets = {
        language: [t["concept"] for t in load_glossary(language)["terms"]] for language in LANGUAGES
    }
    assert len({tuple(v) for v in concept_sets.values()}) == 1, concept_sets


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_uses_one_term_per_concept(language):
    glossary = load_glossary(language)
    found = violations(glossary, catalogue_texts(glossary))
    assert not found, f"{language}: {len(found)} forbidden variants, e.g. {found[:10]}"


@pytest.mark.parametrize(
    "language", [lang for lang in LANGUAGES if load_glossary(lang)["framework_key"]]
)
def test_framework_texts_use_one_term_per_concept(language):
    glossary = load_glossary(language)
    texts = list(framework_texts(glossary["framework_key"]))
    assert texts, "no framework texts found for this language"
    found = violations(glossary, texts)
    assert not found, f"{language}: {len(found)} forbidden variants, e.g. {found[:10]}"


def test_the_check_catches_every_inflected_form():
    glossary = load_glossary("hr")
    texts = ["Ocjena po podkriteriju", "Podkriteriji", "svi potkriteriji"]
    assert [v[2] for v in violations(glossary, texts)] == ["podkriteriju", "Podkriteriji"]
    serbian = load_glossary("sr")
    assert [
        v[2] for v in violations(serbian, ["поткритеријум", "подкритеријума", "поткритерији"])
    ] == ["подкритеријума", "поткритерији"]
