"""Background jobs of step 3 (django-tasks; queued through `mreza.core.jobs`)."""

from django_tasks import task

from mreza.progress.services import meetings


@task()
def send_meeting_invitations(meeting_ids, kind):
    """E-mail the invitation (or its change or cancellation) of meetings to every invitee."""
    return meetings.send_invitations(meeting_ids, kind)
