"""Writes through the token API: an activity's status (optimistic locking: 409 on a stale
version) and a measured value; the same Perm as the pages (CONTRIBUTE), the form's checks (422
naming the field), nothing written on a refusal, every write audited as the token's user."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mreza.api.private import services as token_services
from mreza.api.tests.test_private_world import PERSONAS, bearer, call
from mreza.core.access import Perm, may
from mreza.core.models import AuditEntry
from mreza.progress.models import Activity, Indicator, Measurement

pytest_plugins = ("mreza.api.tests.test_private_world",)


def _status(client, w, persona, activity=None, workspace=None, **body):
    activity = activity or w.activity
    workspace = workspace or activity.workspace
    body = {"action": "start", "version": activity.version, **body}
    url = f"workspaces/{workspace.pk}/activities/{activity.pk}/status"
    return call(client, w, persona, url, "post", body)


def _value(client, w, persona, indicator=None, **body):
    indicator = indicator or w.indicator
    body = {
        "measured_on": timezone.localdate().isoformat(),
        "value": "42.5",
        "source": "API",
    } | body
    url = f"workspaces/{indicator.goal.workspace_id}/indicators/{indicator.pk}/measurements"
    return call(client, w, persona, url, "post", body)


def _fields(response):
    """The fields a 422 names (`body.version` -> `version`)."""
    assert all(e["location"] == "body" for e in response.json()["errors"])
    return {e["field"].rsplit(".", 1)[-1] for e in response.json()["errors"]}


# Y: the write is made; -: 404, the workspace is not visible; anonymous: 401
WRITES = """
            network twinning
alice          Y       Y
bob            Y       Y
charlie        -       -
dana           Y       -
mara           Y       Y
nada           -       -
admin          Y       Y
"""


def _writes(persona):
    rows = {r[0]: r[1:] for r in (line.split() for line in WRITES.strip().splitlines()[1:])}
    return dict(zip(("network", "twinning"), rows[persona], strict=True))


@pytest.mark.parametrize("persona", PERSONAS)
def test_status_changes_follow_the_table_and_may(aw, client, persona):
    for place, activity in (("network", aw.activity), ("twinning", aw.twinning_activity)):
        response = _status(client, aw, persona, activity)
        activity.refresh_from_db()
        if persona == "anonymous":
            assert response.status_code == 401
            assert activity.status == Activity.Status.PLANNED
            continue
        allowed = may(getattr(aw, persona), Perm.CONTRIBUTE, activity.workspace)
        assert allowed == (_writes(persona)[place] == "Y"), place
        if allowed:
            assert response.status_code == 200, response.content
            assert response.json()["status"] == "in_progress"
            assert response.json()["version"] == activity.version
            assert activity.status == Activity.Status.IN_PROGRESS
        else:
            assert response.status_code == 404 and response.json()["code"] == "not_found"
            assert activity.status == Activity.Status.PLANNED


def test_a_write_is_audited_as_the_tokens_user(aw, client):
    before = AuditEntry.objects.count()
    assert _status(client, aw, "bob").status_code == 200
    entry = AuditEntry.objects.filter(content_type__model="activity").latest("id")
    assert entry.actor == aw.bob
    assert "API token mrz_" in entry.actor_label
    assert entry.changes["status"] == ["planned", "in_progress"]
    assert entry.container_id == aw.workspace.pk
    assert AuditEntry.objects.count() == before + 1


def test_a_stale_version_is_a_409_and_nothing_changes(aw, client):
    stale = aw.activity.version
    assert _status(client, aw, "alice").status_code == 200
    response = _status(client, aw, "alice", action="done", version=stale)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    aw.activity.refresh_from_db()
    assert aw.activity.status == Activity.Status.IN_PROGRESS
    assert aw.activity.version == stale + 1


def test_an_action_the_state_does_not_allow_is_a_409(aw, client):
    # reopen starts from done or cancelled; the activity is planned
    response = _status(client, aw, "alice", action="reopen")
    assert response.status_code == 409
    aw.activity.refresh_from_db()
    assert aw.activity.status == Activity.Status.PLANNED


def test_done_records_the_day(aw, client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = _status(client, aw, "alice", action="done", completed_on=yesterday.isoformat())
    assert response.status_code == 200
    assert response.json()["completed_on"] == yesterday.isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "fly"}, "action"),
        ({"version": 0}, "version"),
        ({"version": "one"}, "version"),
        ({"version": 10**20}, "version"),
        ({"version": None}, "version"),
        ({"colour": "red"}, "colour"),
        ({"action": "done", "completed_on": "2999-01-01"}, "completed_on"),
        ({"action": "done", "completed_on": "yesterday"}, "completed_on"),
    ],
)
def test_a_bad_body_is_a_422_naming_the_field_and_nothing_is_written(aw, client, body, field):
    before = AuditEntry.objects.count()
    response = _status(client, aw, "alice", **body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    aw.activity.refresh_from_db()
    assert aw.activity.status == Activity.Status.PLANNED
    assert AuditEntry.objects.count() == before


def test_malformed_json_is_a_4xx_in_json(aw, client):
    url = f"/api/v1/private/workspaces/{aw.workspace.pk}/activities/{aw.activity.pk}/status"
    response = client.post(
        url, data="{not json", content_type="application/json", **bearer(aw.tokens["alice"])
    )
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


def test_an_activity_of_another_workspace_is_not_found(aw, client):
    url = f"workspaces/{aw.workspace.pk}/activities/{aw.twinning_activity.pk}/status"
    body = {"action": "start", "version": aw.twinning_activity.version}
    assert call(client, aw, "alice", url, "post", body).status_code == 404


def test_a_read_only_token_writes_nothing(aw, client):
    _token, text = token_services.issue_token(aw.alice, "ro", read_only=True, expires_on=None)
    aw.tokens["alice"] = text
    response = _status(client, aw, "alice")
    assert response.status_code == 403
    assert _value(client, aw, "alice").status_code == 403
    aw.activity.refresh_from_db()
    assert aw.activity.status == Activity.Status.PLANNED
    assert not Measurement.objects.filter(source="API").exists()


def test_a_measured_value_is_recorded_by_the_tokens_user(aw, client):
    response = _value(client, aw, "mara")
    assert response.status_code == 201, response.content
    made = Measurement.objects.get(pk=response.json()["id"])
    assert made.recorded_by == aw.mara and str(made.value) == "42.500"
    entry = AuditEntry.objects.filter(content_type__model="measurement").latest("id")
    assert entry.actor == aw.mara and entry.action == "create"
    assert _value(client, aw, "charlie").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"measured_on": "2999-01-01"}, "measured_on"),
        ({"measured_on": "1999-12-31"}, "measured_on"),
        ({"value": "1e400"}, "value"),
        ({"value": "12345678901234567"}, "value"),
        ({"source": ""}, "source"),
        ({"source": "x" * 301}, "source"),
        ({"source": "bell\x07"}, "source"),
        ({"member": 1}, "member"),  # the indicator is for the whole network
        ({"extra": 1}, "extra"),
    ],
)
def test_a_bad_value_is_a_422_naming_the_field(aw, client, body, field):
    response = _value(client, aw, "alice", **body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not Measurement.objects.filter(indicator=aw.indicator).exclude(source="register")


def test_a_per_member_indicator_needs_one_of_its_members(aw, client):
    Indicator.objects.filter(pk=aw.indicator.pk).update(scope=Indicator.Scope.MEMBER)
    aw.indicator.refresh_from_db()
    missing = _value(client, aw, "alice")
    assert missing.status_code == 422
    assert "member" in _fields(missing)
    stranger = aw.twinning.members.first()
    assert _value(client, aw, "alice", member=stranger.pk).status_code == 422
    member = aw.workspace.members.order_by("id").first()
    made = _value(client, aw, "alice", member=member.pk)
    assert made.status_code == 201 and made.json()["member"] == member.pk


def test_a_token_write_needs_no_csrf_token(aw):
    """A program has no cookie and no CSRF token: the Bearer token is the whole authentication."""
    strict = Client(enforce_csrf_checks=True)
    response = _status(strict, aw, "alice")
    assert response.status_code == 200, response.content
