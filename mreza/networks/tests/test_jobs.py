"""Grouping runs on the task framework (django-tasks): inline in tests, a database queue for a
separate worker in production, a worker thread in the demo; a run whose worker died is queued
again once, then marked failed with a message the coordinator sees."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mreza.core import jobs
from mreza.core.models import PeriodicJobRun
from mreza.networks import services, tasks
from mreza.networks.models import GroupingRound, GroupingRun
from mreza.networks.tests.test_rounds import new_round

TASK_PATH = "mreza.networks.tasks.run_grouping"


# db_worker and recover_jobs close the database connection when they finish, as long-running
# workers must; on PostgreSQL that would end a test's wrapping transaction, so these tests are
# transactional.
pytestmark = pytest.mark.django_db(transaction=True)


def work_off_queue():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def recover():
    call_command("recover_jobs", stdout=io.StringIO())


@pytest.fixture
def queued(grouping_world, caf, settings, client):
    """A round queued for a separate worker (MREZA_JOBS=worker), not yet taken up."""
    settings.MREZA_JOBS = "worker"
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == GroupingRound.Status.QUEUED
    return round_


def kill_worker(round_, minutes_ago=10, attempts=1):
    """What a worker killed mid-run leaves behind: the round and its run "running", the job
    claimed in the queue, and a heartbeat that stopped `minutes_ago`."""
    run = services.current_run(round_)
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    GroupingRound.objects.filter(pk=round_.pk).update(
        status=GroupingRound.Status.RUNNING, started_at=then, progress=15
    )
    GroupingRun.objects.filter(pk=run.pk).update(
        status=GroupingRun.Status.RUNNING, started_at=then, heartbeat_at=then, attempts=attempts
    )
    DBTaskResult.objects.filter(pk=run.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=then
    )
    return run


def test_inline_in_tests_through_the_framework(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == GroupingRound.Status.PROPOSED, round_.error
    run = services.current_run(round_)
    assert run.task_id  # the immediate backend's result id: it went through django-tasks
    assert run.attempts == 1
    assert run.heartbeat_at is not None
    assert not DBTaskResult.objects.exists()


def test_worker_mode_queues_the_job_in_the_database(queued):
    run = services.current_run(queued)
    job = DBTaskResult.objects.get(pk=run.task_id)
    assert job.task_path == TASK_PATH
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs["args"] == [queued.pk, run.pk]
    work_off_queue()
    queued.refresh_from_db()
    job.refresh_from_db()
    assert queued.status == GroupingRound.Status.PROPOSED, queued.error
    assert job.status == TaskResultStatus.SUCCESSFUL


def test_services_name_the_engine_job_by_its_path_and_the_path_is_the_task():
    """services.py queues the job by name (tasks.py imports services.py: no import cycle)."""
    assert services.RUN_GROUPING == TASK_PATH == tasks.run_grouping.module_path
    assert jobs._task(services.RUN_GROUPING) is tasks.run_grouping
    assert jobs._task(tasks.run_grouping) is tasks.run_grouping


def test_a_killed_workers_run_is_queued_again_and_finishes(queued):
    run = kill_worker(queued)
    old_job = run.task_id
    recover()
    queued.refresh_from_db()
    run.refresh_from_db()
    assert queued.status == GroupingRound.Status.QUEUED
    assert run.status == GroupingRun.Status.QUEUED
    assert run.task_id != old_job  # a new job in the queue
    assert DBTaskResult.objects.get(pk=old_job).status == TaskResultStatus.FAILED
    work_off_queue()
    queued.refresh_from_db()
    run.refresh_from_db()
    assert queued.status == GroupingRound.Status.PROPOSED, queued.error
    assert run.status == GroupingRun.Status.FINISHED
    assert run.attempts == 2
    assert GroupingRun.objects.filter(round=queued).count() == 1  # the same run, not a new one


def test_a_second_death_marks_the_round_failed_with_a_message(queued, client):
    run = kill_worker(queued, attempts=2)
    recover()
    queued.refresh_from_db()
    run.refresh_from_db()
    assert queued.status == GroupingRound.Status.FAILED
    assert run.status == GroupingRun.Status.FAILED
    assert "background worker stopped" in queued.error
    work_off_queue()  # nothing left to run it again behind the coordinator's back
    queued.refresh_from_db()
    assert queued.status == GroupingRound.Status.FAILED
    body = client.get(f"/networks/rounds/{queued.pk}/status/").content.decode()
    assert "The engine could not finish this round:" in body
    assert "background worker stopped" in body
    # and the coordinator can run it again
    services.rerun(queued, queued.version, queued.created_by)
    work_off_queue()
    queued.refresh_from_db()
    assert queued.status == GroupingRound.Status.PROPOSED, queued.error


def test_a_job_the_framework_reports_failed_is_recovered(queued):
    run = kill_worker(queued, minutes_ago=0)  # the heartbeat is fresh ...
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.FAILED)
    recover()  # ... but the queue says the job failed
    queued.refresh_from_db()
    assert queued.status == GroupingRound.Status.QUEUED


def test_a_live_worker_is_left_alone(queued):
    run = kill_worker(queued, minutes_ago=1)  # heartbeat within MREZA_JOB_STALE_AFTER
    recover()
    queued.refresh_from_db()
    run.refresh_from_db()
    assert queued.status == GroupingRound.Status.RUNNING
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.RUNNING


def test_a_queued_round_whose_job_vanished_is_queued_again(queued):
    run = services.current_run(queued)
    DBTaskResult.objects.filter(pk=run.task_id).delete()
    GroupingRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    recover()
    run.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=run.task_id, status=TaskResultStatus.READY).exists()
    work_off_queue()
    queued.refresh_from_db()
    assert queued.status == GroupingRound.Status.PROPOSED, queued.error


def test_a_job_queued_twice_runs_once(queued):
    run = services.current_run(queued)
    services._submit(run)  # e.g. recovered while the first job was only slow to start
    work_off_queue()
    run.refresh_from_db()
    assert run.attempts == 1
    assert (
        DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.SUCCESSFUL).count()
        == 2
    )


def test_one_schedule_of_periodic_jobs(db, settings):
    assert [c for c, _every in settings.MREZA_PERIODIC_JOBS] == [
        "recover_jobs",
        "clearsessions",
        "send_progress_digests",
        "build_open_data",
    ]
    for command, _every in settings.MREZA_PERIODIC_JOBS:
        call_command(command, verbosity=0)  # each is a management command that runs
    settings.MREZA_PERIODIC_JOBS = [("check", 60)]
    start = timezone.now()
    jobs.run_due_periodic_jobs(now=start)
    assert last_started("check") == start
    jobs.run_due_periodic_jobs(now=start + datetime.timedelta(seconds=30))  # not due yet
    assert last_started("check") == start
    later = start + datetime.timedelta(seconds=61)
    jobs.run_due_periodic_jobs(now=later)
    assert last_started("check") == later
    assert PeriodicJobRun.objects.get(command="check").last_error == ""  # `check` passed


def last_started(command):
    return PeriodicJobRun.objects.get(command=command).last_started_at


def _read_while_the_worker_writes(read):
    """SQLite's shared in-memory test database locks a table while the worker thread writes it,
    and refuses a reader at once instead of waiting: read again (for at most 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return read()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_demo_mode_runs_in_a_thread_of_the_web_process(grouping_world, caf, settings, client):
    """MREZA_JOBS=thread: no extra process; the page shows progress, then the proposal."""
    settings.MREZA_JOBS = "thread"
    # the real schedule, its jobs marked as just run (as on any site after its first start): a
    # command that never ran is due at once, and the open-data build then writes for a while and
    # SQLite's shared in-memory test database refuses this request's session save ("database
    # table is locked"). The schedule itself is tested above and in core/tests/test_periodic_jobs.
    now = timezone.now()
    for command, _every in settings.MREZA_PERIODIC_JOBS:
        PeriodicJobRun.objects.create(command=command, last_started_at=now, last_finished_at=now)
    # The same database's lock refuses this request's session save at once when the worker thread
    # has started the grouping just before (a 400, "session was deleted"): a file database waits
    # for the lock instead (settings: timeout). Sessions in the cache keep the test to what it is
    # about, the worker thread.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    grouping_world.caf_pk = caf.pk
    try:
        round_ = new_round(client, grouping_world)
        assert round_.status in (GroupingRound.Status.QUEUED, GroupingRound.Status.RUNNING)
        assert "<progress" in _read_while_the_worker_writes(
            lambda: client.get(f"/networks/rounds/{round_.pk}/status/").content.decode()
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                round_.refresh_from_db()
            except OperationalError:
                # SQLite's shared in-memory test database locks a table while the worker thread
                # writes it, and refuses a reader at once instead of waiting: read again
                time.sleep(0.1)
                continue
            if round_.status in (GroupingRound.Status.PROPOSED, GroupingRound.Status.FAILED):
                break
            time.sleep(0.2)
        assert round_.status == GroupingRound.Status.PROPOSED, round_.error
        # the round is saved as proposed inside the task and the task's own result just after it:
        # let the worker thread finish its job before reading that result
        jobs.stop_embedded_worker()
        # the worker thread found the periodic jobs just run and ran none of them again
        assert set(PeriodicJobRun.objects.values_list("last_started_at", flat=True)) == {now}
        job = DBTaskResult.objects.get(pk=services.current_run(round_).task_id)
        assert job.status == TaskResultStatus.SUCCESSFUL
        assert job.worker_ids[0].startswith("web-")
    finally:
        jobs.stop_embedded_worker()
