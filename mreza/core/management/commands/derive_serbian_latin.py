from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from mreza.text import cyr_to_lat


class Command(BaseCommand):
    help = "Write the Serbian Latin catalogue (sr_Latn) as the exact transliteration of the Cyrillic one (sr)."

    def handle(self, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        source = polib.pofile(str(locale / "sr" / "LC_MESSAGES" / "django.po"))
        target_path = locale / "sr_Latn" / "LC_MESSAGES" / "django.po"
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = polib.POFile(wrapwidth=source.wrapwidth)
        target.metadata = dict(source.metadata, Language="sr_Latn")
        for entry in source:
            if entry.obsolete:
                continue
            copy = polib.POEntry(
                msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgctxt=entry.msgctxt,
                msgstr=cyr_to_lat(entry.msgstr) if entry.msgstr else "",
                msgstr_plural={k: cyr_to_lat(v) for k, v in entry.msgstr_plural.items()},
                flags=list(entry.flags), comment=entry.comment, tcomment=entry.tcomment,
            )
            target.append(copy)
        target.save(str(target_path))
        self.stdout.write(f"Wrote {len(target)} entries to {target_path}")
