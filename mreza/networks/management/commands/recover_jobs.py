from django.core.management.base import BaseCommand

from mreza.networks.services import recover_stuck_runs


class Command(BaseCommand):
    help = (
        "Queue again (once) or mark failed the grouping runs whose worker died: running without a "
        "heartbeat for MREZA_JOB_STALE_AFTER seconds, or failed or lost in the task queue. "
        "A periodic job (settings.MREZA_PERIODIC_JOBS; cron or systemd timer in README)."
    )

    def handle(self, **options):
        requeued, failed = recover_stuck_runs()
        if options["verbosity"] and (requeued or failed):
            self.stdout.write(f"grouping runs queued again: {requeued}, marked failed: {failed}")
