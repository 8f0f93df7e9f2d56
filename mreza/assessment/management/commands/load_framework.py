from django.core.management.base import BaseCommand, CommandError

from mreza.assessment.frameworks.schema import FrameworkInvalid, shipped_framework_paths
from mreza.assessment.services import AssessmentError, install_framework
from mreza.core.audit import acting_as


class Command(BaseCommand):
    help = (
        "Validate and load an assessment framework file (YAML, format mreza-framework/1). "
        "Without a path, loads the frameworks shipped with Mreža. A used framework never changes: "
        "publish a new version instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")

    def handle(self, paths, **options):
        for path in paths or shipped_framework_paths():
            try:
                with acting_as(None, "load_framework"):
                    framework, created = install_framework(path)
            except FrameworkInvalid as error:
                lines = "\n  ".join(str(e) for e in error.errors)
                raise CommandError(
                    f"{path} is not a valid framework; nothing was loaded:\n  {lines}"
                ) from None
            except (AssessmentError, OSError) as error:
                raise CommandError(f"{path}: {error}") from None
            state = "loaded" if created else "already up to date"
            self.stdout.write(
                f"{framework.code} {framework.version}: {state} "
                f"({framework.subcriteria.count()} subcriteria)"
            )
