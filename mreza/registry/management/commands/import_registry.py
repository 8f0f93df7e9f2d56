from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mreza.registry.importing import KINDS, RegistryImportError, plan_and_apply, read_path


class Command(BaseCommand):
    help = (
        "Import a registry (associations, regions, municipalities) from a CSV file, an XLSX "
        "workbook with "
        "one sheet per kind, or a folder of CSV files. All or nothing: any error refuses the whole "
        "import."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="What a single CSV file contains (default: from its name).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--verbose-changes", action="store_true", help="List every changed field."
        )

    def handle(self, path, kind=None, dry_run=False, verbose_changes=False, **options):
        try:
            tables = read_path(path, kind, settings.MREZA_IMPORT_MAX_BYTES)
            plan = plan_and_apply(tables, dry_run=dry_run)
        except RegistryImportError as error:
            lines = [str(p) for p in error.problems]
            raise CommandError(
                f"Nothing was imported; {len(lines)} problem(s):\n  " + "\n  ".join(lines)
            ) from None
        prefix = "Would import (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(prefix + ":")
        for k, (created, updated, unchanged) in plan.summary().items():
            self.stdout.write(f"  {k}: {created} new, {updated} changed, {unchanged} unchanged")
        if dry_run or verbose_changes:
            shown = plan.changes if verbose_changes else plan.changes[:50]
            for line in shown:
                self.stdout.write(f"    {line}")
            if len(plan.changes) > len(shown):
                self.stdout.write(
                    f"    … and {len(plan.changes) - len(shown)} more (use --verbose-changes)"
                )
