from django.core.management.base import BaseCommand

from mreza.core.audit import acting_as
from mreza.opendata import services


class Command(BaseCommand):
    help = (
        "Build a new open-data release (one ZIP of CSV and JSON files with their data dictionary) "
        "from what the public pages show, and keep the last few. A periodic job "
        "(settings.MREZA_PERIODIC_JOBS, daily); a failed build leaves the previous release served."
    )

    def handle(self, **options):
        with acting_as(None, "build_open_data"):
            release = services.build_release()
        if options["verbosity"]:
            total = sum(release.counts.values())
            self.stdout.write(
                f"open data: {release.file.name}, {release.size} bytes, {total} rows, "
                f"sha256 {release.sha256}"
            )
