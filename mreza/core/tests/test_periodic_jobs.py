"""Periodic jobs run once per interval across every process sharing the database, by the wall
clock: a restart or a second web process does not run them again (core.jobs, PeriodicJobRun)."""

import datetime
import logging

import pytest
from django.utils import timezone

from mreza.core import jobs
from mreza.core.audit import AuditedModel
from mreza.core.models import AuditEntry, PeriodicJobRun

pytestmark = pytest.mark.django_db

T = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def seconds(n):
    return datetime.timedelta(seconds=n)


@pytest.fixture
def ran(monkeypatch, settings):
    """The commands run, in order; the schedule is two made-up commands ("fail" raises)."""
    settings.MREZA_PERIODIC_JOBS = [("often", 60), ("daily", 86400)]
    calls = []

    def fake_call_command(command, **options):
        calls.append(command)
        if command == "fail":
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(jobs, "call_command", fake_call_command)
    return calls


def row(command):
    return PeriodicJobRun.objects.get(command=command)


def test_a_command_that_never_ran_runs_at_once_daily_ones_too(ran):
    jobs.run_due_periodic_jobs(now=T)
    assert ran == ["often", "daily"]
    assert row("often").last_started_at == T
    assert row("often").last_finished_at is not None
    assert row("often").last_error == ""
    # bookkeeping, not domain data: not audited
    assert not issubclass(PeriodicJobRun, AuditedModel)
    assert not AuditEntry.objects.exists()


def test_due_and_not_due_by_the_interval(ran):
    jobs.run_due_periodic_jobs(now=T)
    ran.clear()
    jobs.run_due_periodic_jobs(now=T + seconds(30))
    assert ran == []
    jobs.run_due_periodic_jobs(now=T + seconds(60))
    assert ran == ["often"]
    assert row("often").last_started_at == T + seconds(60)
    assert row("daily").last_started_at == T
    jobs.run_due_periodic_jobs(now=T + seconds(86400))
    assert ran == ["often", "often", "daily"]


def test_by_the_wall_clock_when_no_time_is_given(ran):
    now = timezone.now()
    PeriodicJobRun.objects.create(command="often", last_started_at=now - seconds(50))
    PeriodicJobRun.objects.create(command="daily", last_started_at=now - seconds(86400 + 5))
    jobs.run_due_periodic_jobs()
    assert ran == ["daily"]
    assert row("daily").last_started_at >= now


def test_another_process_or_a_restart_does_not_run_them_again(ran):
    """Each process (each gunicorn worker, each restart) has its own worker thread and calls
    this; the second one finds the jobs just run."""
    jobs.run_due_periodic_jobs(now=T)  # the first process
    jobs.run_due_periodic_jobs(now=T + seconds(1))  # a second process, a second later
    jobs.run_due_periodic_jobs(now=T)  # a third at the same instant
    assert ran == ["often", "daily"]


def test_two_claims_at_the_same_instant_exactly_one_wins():
    """Two processes that both read the job as due: the INSERT of a command that never ran, then
    the conditional UPDATE of one that is due, lets only one of them run it."""
    assert jobs.claim("often", 60, T) is True  # no row: created
    assert jobs.claim("often", 60, T) is False
    assert jobs.claim("often", 60, T + seconds(59)) is False
    assert jobs.claim("often", 60, T + seconds(60)) is True  # due: the UPDATE moves it on
    assert jobs.claim("often", 60, T + seconds(60)) is False
    assert row("often").last_started_at == T + seconds(60)
    assert PeriodicJobRun.objects.count() == 1


def test_a_failure_is_recorded_and_logged_and_the_next_job_runs(ran, settings, caplog):
    settings.MREZA_PERIODIC_JOBS = [("fail", 60), ("often", 60)]
    with caplog.at_level(logging.ERROR, logger="mreza.core.jobs"):
        jobs.run_due_periodic_jobs(now=T)
    assert ran == ["fail", "often"]
    failed = row("fail")
    assert "RuntimeError: the disk is full" in failed.last_error
    assert failed.last_finished_at is not None
    assert row("often").last_error == ""
    assert "periodic job fail" in caplog.text
    # a failed run waits for its interval like any other, and a run that succeeds clears it
    jobs.run_due_periodic_jobs(now=T + seconds(30))
    assert ran == ["fail", "often"]
    settings.MREZA_PERIODIC_JOBS = [("often", 60)]
    PeriodicJobRun.objects.filter(command="often").update(last_error="old")
    jobs.run_due_periodic_jobs(now=T + seconds(60))
    assert row("often").last_error == ""


def test_the_interval_counts_from_the_start(ran, monkeypatch, settings):
    """A job that takes 50 s of a 60 s interval is due again 60 s after it started."""
    settings.MREZA_PERIODIC_JOBS = [("often", 60)]
    clock = [T]
    monkeypatch.setattr(jobs.timezone, "now", lambda: clock[0])

    def slow_command(command, **options):
        ran.append(command)
        clock[0] += seconds(50)

    monkeypatch.setattr(jobs, "call_command", slow_command)
    jobs.run_due_periodic_jobs()
    assert row("often").last_finished_at == T + seconds(50)
    clock[0] = T + seconds(59)
    jobs.run_due_periodic_jobs()
    assert ran == ["often"]
    clock[0] = T + seconds(61)
    jobs.run_due_periodic_jobs()
    assert ran == ["often", "often"]
    assert row("often").last_started_at == T + seconds(61)


def test_a_run_that_outlives_its_interval_does_not_overwrite_the_next_one(ran, monkeypatch):
    def long_command(command, **options):
        ran.append(command)
        if len(ran) == 1:  # meanwhile another process starts the next run
            assert jobs.claim(command, 60, T + seconds(61))

    monkeypatch.setattr(jobs, "call_command", long_command)
    assert jobs.claim("often", 60, T)
    jobs._run_periodic("often", T)
    often = row("often")
    assert often.last_started_at == T + seconds(61)
    assert often.last_finished_at is None  # the next run has not finished


def test_the_administrator_sees_the_runs_read_only(world, client):
    PeriodicJobRun.objects.create(command="often", last_started_at=T, last_error="Boom")
    client.force_login(world.admin)
    assert "often" in client.get("/admin/core/periodicjobrun/").content.decode()
    run = row("often")
    page = client.get(f"/admin/core/periodicjobrun/{run.pk}/change/").content.decode()
    assert "Boom" in page
    assert client.post(f"/admin/core/periodicjobrun/{run.pk}/change/", {}).status_code == 403
