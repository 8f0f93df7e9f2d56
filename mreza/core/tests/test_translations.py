"""Every user-facing string is marked and translated in every language.

The test regenerates the catalogues from the code into a temporary copy (so a string added
without a translation shows up as untranslated) and fails listing each missing entry.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LANGUAGE_DIRS = {
    "bs": "bs",
    "hr": "hr",
    "sr": "sr",
    "sr-latn": "sr_Latn",
    "sr-ijekavsk": "sr_Ijekavsk",
    "sr-latn-ijekavsk": "sr_Latn-ijekavsk",
    "bg": "bg",
}
#: Serbian Cyrillic catalogues (translated by hand) and the Latin ones derived from them.
SERBIAN_PAIRS = [("sr", "sr_Latn"), ("sr_Ijekavsk", "sr_Latn-ijekavsk")]


@pytest.fixture(scope="module")
def regenerated_catalogues(tmp_path_factory):
    # Work on a copy of the code and catalogues: makemessages writes into any locale/ it finds.
    copy = tmp_path_factory.mktemp("project")
    shutil.copytree(
        ROOT / "mreza", copy / "mreza", ignore=shutil.ignore_patterns("__pycache__", "*.geojson")
    )
    shutil.copytree(ROOT / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {
        **os.environ,
        "MREZA_LOCALE_DIR": str(copy / "locale"),
        "DJANGO_SETTINGS_MODULE": "mreza.settings",
        "MREZA_VAR_DIR": str(copy / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--no-location", "--ignore=tests"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", sorted(LANGUAGE_DIRS))
def test_every_string_is_translated(regenerated_catalogues, language):
    po = polib.pofile(
        str(regenerated_catalogues / LANGUAGE_DIRS[language] / "LC_MESSAGES" / "django.po")
    )
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{language}: {len(missing)} untranslated: {missing[:20]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("bs", "Općine"),
        ("hr", "Općine"),
        ("sr", "Општине"),
        ("sr-latn", "Opštine"),
        ("bg", "Общини"),
        ("sr-ijekavsk", "Општине"),
        ("sr-latn-ijekavsk", "Opštine"),
    ],
)
def test_pages_are_served_translated(client, db, language, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/municipalities/")
    assert response["Content-Language"] == language
    assert expected in response.content.decode()


@pytest.mark.parametrize("catalogue", ["sr", "sr_Ijekavsk"])
def test_serbian_cyrillic_catalogue_has_no_latin_translations(catalogue):
    import re

    po = polib.pofile(str(ROOT / "locale" / catalogue / "LC_MESSAGES" / "django.po"))
    # Placeholders, file and sheet names the importer needs, upper-case acronyms and software
    # product names (written in Latin in Serbian Cyrillic text too) stay Latin; so do the few
    # symbols and codes below.
    technical = re.compile(
        r"<code>.*?</code>|%\(\w+\)[.\d]*[sdf]|\{\{.*?\}\}|\b(?:associations|regions|municipalities|https?|UTF-8)\b"
        r"|\b(?:Excel|LibreOffice|Word|PowerPoint|OpenDocument|WebP|JavaScript|NaN)\b|<[^>]+>"
        r"|\.(?:csv|xlsx)\b|\b(?:CSV|XLSX|MB|[A-Z]{2,}[0-9-]*)\b"
        # statistical symbols (t-test, Cohen's d and h, Cramér's V, p), the paper size, the ELoGE
        # framework, and the example codes a user types as they are („overall”, „yes | Да”)
        r"|\b[tpdhV]\b|\bA4\b|\bELoGE\b|„[a-z_]+"
        # file names, example addresses and HTTP headers a user types or reads as they are; key
        # names on the keyboard; data formats and standards named by their own names
        r"|[\w-]+\.(?:csv|json|ics)\b|\.ics\b|(?<!\w)/[\w/]+/"
        r"|\b(?:Ctrl|Cmd|Mac|Atom|Frictionless Data|alpha-2)\b"
    )
    latin = [e.msgstr for e in po if re.search(r"[A-Za-z]", technical.sub("", e.msgstr))]
    assert not latin, latin[:10]


@pytest.mark.parametrize(("cyrillic_dir", "latin_dir"), SERBIAN_PAIRS)
def test_serbian_latin_is_the_transliteration_of_cyrillic(cyrillic_dir, latin_dir):
    from mreza.text import cyr_to_lat

    def entries(directory):
        po = polib.pofile(str(ROOT / "locale" / directory / "LC_MESSAGES" / "django.po"))
        return {
            (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in po if not e.obsolete
        }

    cyrillic, latin = entries(cyrillic_dir), entries(latin_dir)
    differing = [
        k
        for k, (text, plural) in cyrillic.items()
        if latin.get(k)
        != (cyr_to_lat(text) if text else "", {n: cyr_to_lat(v) for n, v in plural.items()})
    ]
    assert not differing, differing[:10]


# Ekavian words (and stems) that ijekavian writes with the yat reflex
# (где → гдје, оцена → оцјена, …).
EKAVIAN_WORDS = re.compile(
    r"(?<!\w)(?:где|овде|негде|део|делова|две|обе|после|пре|најпре|реч|речи|место|места|време|дете|мера|мере|меру"
    r"|цео|сме|смеју|хтео|недеља|север\w*|предлог\w*|оцен[аеиу]\w*|оцењ\w*|процен(?!т)\w*|процењ\w*|самопроцен\w*"
    r"|извешт\w*|промен\w*|промењ\w*|измен\w*|измењ\w*|провер\w*|пример\w*|следећ\w*|вредност\w*|бележ\w*"
    r"|забележ\w*|месец\w*|месеч\w*|решењ\w*|успе[хшл]\w*|неуспе\w*|целин\w*|мењ\w*|подел\w*|подељ\w*"
    r"|безбед\w*|умест\w*|умерен\w*|намењ\w*|дељењ\w*|деловањ\w*)(?!\w)",
    re.IGNORECASE,
)


def test_ekavian_words_are_recognised():
    # "проценат" (per cent) is the same in both dialects; "процена" (estimate) is ekavian
    assert EKAVIAN_WORDS.findall("у процентима, процена") == ["процена"]
    assert EKAVIAN_WORDS.findall("Оцена је забележена пре рока; где је извештај?") == [
        "Оцена",
        "забележена",
        "пре",
        "где",
        "извештај",
    ]
    assert not EKAVIAN_WORDS.findall(
        "Оцјена је забиљежена прије рока; гдје је извјештај? Самовредновање, предаја."
    )


@pytest.mark.parametrize("catalogue", ["sr_Ijekavsk", "sr_Latn-ijekavsk"])
def test_ijekavian_catalogue_has_no_ekavian_words(catalogue):
    from mreza.text import lat_to_cyr

    po = polib.pofile(str(ROOT / "locale" / catalogue / "LC_MESSAGES" / "django.po"))
    # Django's own texts, transliterated into the Latin catalogue by derive_serbian_latin, are not
    # ours to fix.
    ours = [e for e in po if not e.obsolete and not (e.tcomment or "").startswith("Django's own")]
    texts = [t for e in ours for t in [e.msgstr, *e.msgstr_plural.values()] if t]
    if "Latn" in catalogue:
        texts = [lat_to_cyr(t) for t in texts]
    found = sorted({(word, text[:80]) for text in texts for word in EKAVIAN_WORDS.findall(text)})
    assert not found, found[:20]


def test_ekavian_and_ijekavian_differ_where_the_yat_reflex_applies():
    with translation.override("sr"):
        ekavian = translation.gettext("Change"), translation.gettext("Self-assessment")
    with translation.override("sr-ijekavsk"):
        ijekavian = translation.gettext("Change"), translation.gettext("Self-assessment")
    with translation.override("sr-latn-ijekavsk"):
        latin = translation.gettext("Change"), translation.gettext("Self-assessment")
    assert ekavian == ("Промени", "Самопроцена")
    assert ijekavian == ("Промијени", "Самопроцјена")
    assert latin == ("Promijeni", "Samoprocjena")


def test_latin_ijekavian_readers_get_djangos_own_texts_in_latin():
    # gettext falls back from sr_Latn-ijekavsk to Django's Cyrillic sr; derive_serbian_latin adds
    # them in Latin.
    with translation.override("sr-latn-ijekavsk"):
        assert translation.gettext("This field is required.") == "Ovo polje se mora popuniti."
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 5) == "%(num)d minuta"


def test_translation_override_works_for_emails():
    with translation.override("bg"):
        assert translation.gettext("Municipalities") == "Общини"
