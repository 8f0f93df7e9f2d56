"""The one background-job engine: django-tasks (the backport of Django 6's `django.tasks`) with
its database backend. Apps declare jobs with `@django_tasks.task()` in their `tasks.py` and hand
them over with `jobs.enqueue(task, ...)`, the task or its dotted path (a services module names the
job it queues by path, as the queue stores it, because the job's `tasks.py` imports that services
module); `settings.MREZA_JOBS` decides who runs them (see docs/ARCHITECTURE.md, "Background jobs"):

- "sync": the immediate backend runs the job inside the call (tests);
- "thread": the job is queued in the database and a worker thread of this process works the
  queue off, and runs the periodic jobs of `settings.MREZA_PERIODIC_JOBS`, each once per interval
  across all the web processes (`PeriodicJobRun`; demo: no extra process);
- "worker": the job is queued in the database for `manage.py db_worker` (production).
"""

import datetime
import logging
import os
import threading
import traceback

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.exceptions import TaskResultDoesNotExist

from mreza.core.models import PeriodicJobRun

log = logging.getLogger(__name__)

IMMEDIATE = "immediate"
DATABASE = "default"


def backend_alias():
    return IMMEDIATE if settings.MREZA_JOBS == "sync" else DATABASE


def _task(task):
    """The task itself, given the task or its dotted path ("mreza.networks.tasks.run_grouping")."""
    return import_string(task) if isinstance(task, str) else task


def enqueue(task, *args, **kwargs):
    """Queue `task(*args, **kwargs)` on the configured backend; returns the task result.
    `task` is the task or its dotted path."""
    result = _task(task).using(backend=backend_alias()).enqueue(*args, **kwargs)
    if settings.MREZA_JOBS == "thread":
        # only once the caller's transaction is committed: the worker must not take up the job
        # while the caller still writes what belongs with it (a run's task id)
        transaction.on_commit(ensure_embedded_worker)
    return result


def result_of(task, result_id):
    """The stored result of a queued job, or None when the backend keeps none (or lost it).
    `task` is the task or its dotted path."""
    if not result_id or backend_alias() == IMMEDIATE:
        return None
    try:
        return _task(task).using(backend=DATABASE).get_result(result_id)
    except TaskResultDoesNotExist:
        return None


class WorkerLost(Exception):
    """Recorded on a job whose worker stopped (killed, machine restarted) before it finished."""


def mark_lost(result):
    """Record on a database job that its worker is gone, so it no longer shows as running."""
    db_result = getattr(result, "db_result", None)
    if db_result is not None and not result.is_finished:
        db_result.set_failed(WorkerLost("the worker stopped before the job finished"))


# ---------------------------------------------------------------- the embedded worker ("thread")

_lock = threading.Lock()
_stop = threading.Event()
_thread = None


def ensure_embedded_worker():
    """Start this process's worker thread unless it runs already."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _stop.clear()
        _thread = threading.Thread(target=_embedded_loop, name="mreza-jobs", daemon=True)
        _thread.start()


def ensure_worker_for_watched_job():
    """Someone waits for a job: in "thread" mode make sure this process works the queue."""
    if settings.MREZA_JOBS == "thread":
        ensure_embedded_worker()


def stop_embedded_worker(timeout=30):
    """Stop the worker thread after its current job (tests; a process exiting needs nothing)."""
    _stop.set()
    if _thread is not None:
        _thread.join(timeout)


def _embedded_loop(interval=1.0):
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        while not _stop.is_set():
            try:
                # the library's own worker, in batch mode: run what is ready, then come back
                Worker(
                    queue_names=["*"],
                    interval=0,
                    batch=True,
                    backend_name=DATABASE,
                    startup_delay=False,
                    max_tasks=None,
                    worker_id=f"web-{os.getpid()}-{threading.get_ident()}"[:64],
                    excluded_queue_names=[],
                ).run()
                run_due_periodic_jobs()
            except Exception:  # a broken job or a lost connection must not stop the thread
                log.exception("embedded job worker")
            finally:
                close_old_connections()
            _stop.wait(interval)
    finally:
        connections.close_all()  # this thread's own connections


def run_due_periodic_jobs(now=None):
    """Run each command of `settings.MREZA_PERIODIC_JOBS` whose interval has passed, by the wall
    clock (`timezone.now()`) and across every process sharing the database: each web process's
    worker thread calls this, but a run is claimed in `PeriodicJobRun` first (`claim`), so a
    restart or a second gunicorn worker does not run the jobs again.

    - The interval counts from the start of the last run, whoever ran it and however long it took.
    - A command that has never run (no row) is due at once, for daily jobs too: a fresh install
      gets its first open-data release and session cleanup without waiting a day, and only the
      one process that wins the claim runs it. (After that first run a restart runs nothing.)
    - A job still running when its interval has passed again is started again: the commands are
      safe to run twice, and a process that died mid-run must not block its job for good.
    - A command that fails is logged, its error kept on the row (`last_error`, blank after a run
      that succeeded), and the next job runs all the same.
    """
    now = timezone.now() if now is None else now
    schedule = settings.MREZA_PERIODIC_JOBS
    started = dict(
        PeriodicJobRun.objects.filter(command__in=[c for c, _every in schedule]).values_list(
            "command", "last_started_at"
        )
    )
    for command, every in schedule:
        last = started.get(command)
        # the read above spares an UPDATE per job and second; the claim alone decides
        if last is not None and now - last < datetime.timedelta(seconds=every):
            continue
        if claim(command, every, now):
            _run_periodic(command, now)


def claim(command, every, now):
    """Take the run of `command` due at `now` for this process; True for exactly one of the
    processes that try at the same moment. A conditional UPDATE (or, for a command that has
    never run, the INSERT of its row, unique by command) decides, on SQLite and PostgreSQL,
    without a lock held while the job runs."""
    due_before = now - datetime.timedelta(seconds=every)
    claimed = PeriodicJobRun.objects.filter(
        command=command, last_started_at__lte=due_before
    ).update(last_started_at=now)
    if claimed:
        return True
    try:
        with transaction.atomic():  # a savepoint: the refused INSERT must not end the caller's
            PeriodicJobRun.objects.create(command=command, last_started_at=now)
    except IntegrityError:
        return False  # its row exists: not due, or another process has just claimed it
    return True


def _run_periodic(command, started_at):
    error = ""
    try:
        call_command(command, verbosity=0)
    except Exception:
        log.exception("periodic job %s", command)
        error = traceback.format_exc()
    # only the row of this run: if the job outlived its interval, a later claim is not ours
    PeriodicJobRun.objects.filter(command=command, last_started_at=started_at).update(
        last_finished_at=timezone.now(), last_error=error
    )
