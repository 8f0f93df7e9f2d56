from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from mreza.text import cyr_to_lat

# : Cyrillic catalogue (translated by hand) → Latin catalogue (derived), one pair per Serbian
# variant.
SERBIAN_PAIRS = (
    ("sr", "sr_Latn", False),  # ekavian (Django has its own sr_Latn)
    ("sr_Ijekavsk", "sr_Latn-ijekavsk", True),  # ijekavian, plus Django's texts in Latin
)


def framework_entries(language_dir="sr"):
    """Django's and the installed apps' own translations into ``language_dir``, as Django would pick
    them.

    gettext finds no catalogue of Django's for ``sr_Latn-ijekavsk`` and falls back to ``sr``
    (Cyrillic), so a Latin ijekavian reader would see Django's form errors in Cyrillic. Their
    transliteration goes into our Latin ijekavian catalogue instead.
    """
    import django
    from django.apps import apps

    paths = [
        Path(app.path) / "locale" / language_dir / "LC_MESSAGES" / "django.po"
        for app in apps.get_app_configs()
    ]
    paths.append(
        Path(django.__file__).parent
        / "conf"
        / "locale"
        / language_dir
        / "LC_MESSAGES"
        / "django.po"
    )
    picked = {}
    for (
        path
    ) in paths:  # the first installed app wins, Django's own catalogue is the base (as in Django)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
                continue
            picked.setdefault((entry.msgctxt, entry.msgid), entry)
    return picked


def derive(locale, source_dir, target_dir, with_framework=False):
    source = polib.pofile(str(locale / source_dir / "LC_MESSAGES" / "django.po"))
    target_path = locale / target_dir / "LC_MESSAGES" / "django.po"
    target_path.parent.mkdir(parents=True, exist_ok=True)
    target = polib.POFile(wrapwidth=source.wrapwidth)
    target.metadata = dict(source.metadata, Language=target_dir)
    for entry in source:
        if entry.obsolete:
            continue
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgctxt=entry.msgctxt,
            msgstr=cyr_to_lat(entry.msgstr) if entry.msgstr else "",
            msgstr_plural={k: cyr_to_lat(v) for k, v in entry.msgstr_plural.items()},
            flags=list(entry.flags),
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
        target.append(copy)
    if with_framework:
        ours = {(entry.msgctxt, entry.msgid) for entry in source}
        for key, entry in framework_entries().items():
            if key in ours:
                continue
            target.append(
                polib.POEntry(
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgctxt=entry.msgctxt,
                    msgstr=cyr_to_lat(entry.msgstr) if entry.msgstr else "",
                    msgstr_plural={k: cyr_to_lat(v) for k, v in entry.msgstr_plural.items()},
                    flags=[f for f in entry.flags if f.endswith("-format")],
                    tcomment=(
                        "Django's own Serbian translation, transliterated "
                        "(no sr_Latn fallback for this locale)."
                    ),
                )
            )
    target.save(str(target_path))
    return target_path, len(target)


class Command(BaseCommand):
    help = (
        "Write the Serbian Latin catalogues (sr_Latn, sr_Latn-ijekavsk) as the exact "
        "transliteration "
        "of the Cyrillic ones (sr, sr_Ijekavsk)."
    )

    def handle(self, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        for source_dir, target_dir, with_framework in SERBIAN_PAIRS:
            if not (locale / source_dir / "LC_MESSAGES" / "django.po").exists():
                self.stderr.write(f"Skipped {target_dir}: {source_dir} has no catalogue")
                continue
            path, count = derive(locale, source_dir, target_dir, with_framework)
            self.stdout.write(f"Wrote {count} entries to {path}")
