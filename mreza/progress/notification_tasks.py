"""Background jobs of the notifications (django-tasks; queued through `mreza.core.jobs`)."""

from django_tasks import task

from mreza.progress.services import notifications


@task()
def send_notifications(notification_ids):
    """E-mail each of these notifications at once to a recipient who chose that."""
    return notifications.send_immediate(notification_ids)
