"""Keep each existing round's current result as its run 1, so every round has its history of runs."""

from django.db import migrations

FINISHED_STATES = {"proposed", "published"}


def forwards(apps, schema_editor):
    GroupingRound = apps.get_model("networks", "GroupingRound")
    GroupingRun = apps.get_model("networks", "GroupingRun")
    for round_ in GroupingRound.objects.filter(runs__isnull=True).iterator():
        if not round_.result and round_.status not in ("failed",):
            continue
        objective = (round_.result.get("objective") or {}).get("total")
        GroupingRun.objects.create(
            round=round_, number=1,
            status="finished" if round_.status in FINISHED_STATES else "failed",
            inputs={"params": round_.params, "areas": round_.areas, "filters": round_.filters,
                    "time_limit": round_.time_limit, "locked": []},
            result=round_.result, proposal=round_.proposal, objective=objective,
            bound=round_.result.get("bound") or {}, error=round_.error, started_by_id=round_.created_by_id,
            started_at=round_.started_at, finished_at=round_.finished_at)


def backwards(apps, schema_editor):
    apps.get_model("networks", "GroupingRun").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_runs_confirmation_based_on")]

    operations = [migrations.RunPython(forwards, backwards)]
