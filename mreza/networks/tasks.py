"""Background jobs of the networks app (django-tasks; queued through `mreza.core.jobs`)."""

from django_tasks import task

from mreza.networks import services


@task()
def run_grouping(round_id, run_id):
    """Run the grouping engine for one run of a round; the outcome is stored on the round."""
    return services.run_round(round_id, run_id).status
