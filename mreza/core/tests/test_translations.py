"""Every user-facing string is marked and translated in every language.

The test regenerates the catalogues from the code into a temporary copy (so a string added
without a translation shows up as untranslated) and fails listing each missing entry.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LANGUAGE_DIRS = {"bs": "bs", "hr": "hr", "sr": "sr", "sr-latn": "sr_Latn", "bg": "bg"}


@pytest.fixture(scope="module")
def regenerated_catalogues(tmp_path_factory):
    # Work on a copy of the code and catalogues: makemessages writes into any locale/ it finds.
    copy = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "mreza", copy / "mreza", ignore=shutil.ignore_patterns("__pycache__", "*.geojson"))
    shutil.copytree(ROOT / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "MREZA_LOCALE_DIR": str(copy / "locale"), "DJANGO_SETTINGS_MODULE": "mreza.settings",
           "MREZA_VAR_DIR": str(copy / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--no-location", "--ignore=tests"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    return copy / "locale"


@pytest.mark.parametrize("language", sorted(LANGUAGE_DIRS))
def test_every_string_is_translated(regenerated_catalogues, language):
    po = polib.pofile(str(regenerated_catalogues / LANGUAGE_DIRS[language] / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{language}: {len(missing)} untranslated: {missing[:20]}"


@pytest.mark.parametrize(("language", "expected"), [
    ("bs", "Općine"), ("hr", "Općine"), ("sr", "Општине"), ("sr-latn", "Opštine"), ("bg", "Общини"),
])
def test_pages_are_served_translated(client, db, language, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/municipalities/")
    assert response["Content-Language"] == language
    assert expected in response.content.decode()


def test_serbian_cyrillic_catalogue_has_no_latin_translations():
    import re

    po = polib.pofile(str(ROOT / "locale" / "sr" / "LC_MESSAGES" / "django.po"))
    # Placeholders, file and sheet names the importer needs, upper-case acronyms and software
    # product names (written in Latin in Serbian Cyrillic text too) stay Latin.
    technical = re.compile(r"%\(\w+\)[.\d]*[sdf]|\{\{.*?\}\}|\b(?:associations|regions|municipalities|https?|UTF-8)\b"
                           r"|\b(?:Excel|LibreOffice)\b"
                           r"|\.(?:csv|xlsx)\b|\b(?:CSV|XLSX|MB|[A-Z]{2,}[0-9-]*)\b")
    latin = [e.msgstr for e in po if re.search(r"[A-Za-z]", technical.sub("", e.msgstr))]
    assert not latin, latin[:10]


def test_serbian_latin_is_the_transliteration_of_cyrillic():
    from mreza.text import cyr_to_lat

    cyrillic = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "locale" / "sr" / "LC_MESSAGES" / "django.po"))
                if not e.obsolete}
    latin = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"))}
    differing = [k for k, v in cyrillic.items() if v and latin.get(k) != cyr_to_lat(v)]
    assert not differing, differing[:10]


def test_translation_override_works_for_emails():
    with translation.override("bg"):
        assert translation.gettext("Municipalities") == "Общини"
