from django.core.management.base import BaseCommand, CommandError

from mreza.registry.importing import write_export
from mreza.registry.models import Country


class Command(BaseCommand):
    help = (
        "Export a country's registry (associations, regions, municipalities) to a folder of CSV "
        "files or "
        "one .xlsx workbook that import_registry reads back, also into an empty database. No cell "
        "is "
        "written as a spreadsheet formula."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True, help="ISO code, e.g. BA")
        parser.add_argument("out", help="A folder (CSV files) or a path ending in .xlsx")

    def handle(self, country, out, **options):
        if not Country.objects.filter(code=country.upper()).exists():
            raise CommandError(f"No country with code {country} in the registry.")
        count = write_export(country.upper(), out)
        self.stdout.write(f"Exported {count} municipalities of {country.upper()} to {out}")
