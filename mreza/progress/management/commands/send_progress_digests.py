from django.core.management.base import BaseCommand
from django.utils import timezone

from mreza.core.audit import acting_as
from mreza.progress.services import notifications


class Command(BaseCommand):
    help = (
        "Queue the reminders of activities that became overdue and of meetings in the next three "
        "days (each once), send the weekly digests that are due, and queue again the immediate "
        "e-mails a failed job left unsent. A periodic job (settings.MREZA_PERIODIC_JOBS; cron or "
        "systemd timer in README)."
    )

    def handle(self, **options):
        now = timezone.now()
        with acting_as(None, "send_progress_digests"):
            overdue = notifications.queue_overdue_reminders(timezone.localdate(now))
            meetings = notifications.queue_meeting_reminders(now)
            retried = notifications.retry_unsent(now)
            digests = notifications.send_digests(now)
        if options["verbosity"]:
            self.stdout.write(
                f"reminders: {overdue} overdue, {meetings} meetings; e-mails queued again: "
                f"{retried}; digests sent: {digests}"
            )
