"""A network made by hand by a network coordinator: members from the registry, refused for
others, bad input refused with nothing saved."""

import pytest

from mreza.assessment.models import Subcriterion
from mreza.progress.models import Workspace
from mreza.registry.models import Membership

pytestmark = pytest.mark.django_db


def _data(ws, caf, **changes):
    Membership.objects.get_or_create(municipality=ws.c, organisation=ws.association)
    area = Subcriterion.objects.get(framework=caf, code="6.1")
    data = {
        "organisation": ws.association.pk,
        "title": "Citizens first",
        "area": f"{caf.pk}:{area.code}",
        "members": [ws.a.pk, ws.c.pk],
        "host": ws.c.pk,
        "starts_on": "2026-03-01",
        "ends_on": "2027-02-28",
    }
    data.update(changes)
    return data


def test_a_network_coordinator_opens_a_network_by_hand(ws, caf, client):
    client.force_login(ws.dana)
    assert client.get("/workspaces/new/").status_code == 200
    response = client.post("/workspaces/new/", _data(ws, caf))
    assert response.status_code == 302
    workspace = Workspace.objects.get(title="Citizens first")
    assert (workspace.kind, workspace.area, workspace.network) == ("network", "6.1", None)
    assert workspace.coordinator == ws.dana and workspace.organisation == ws.association
    roles = {m.municipality_id: m.role for m in workspace.members.all()}
    assert roles == {ws.c.pk: "host", ws.a.pk: "member"}
    client.force_login(ws.alice)
    assert "Citizens first" in client.get("/workspaces/").content.decode()


def test_others_may_not_open_a_network(ws, caf, client):
    client.force_login(ws.alice)
    assert client.get("/workspaces/new/").status_code == 403
    assert client.post("/workspaces/new/", _data(ws, caf)).status_code == 403
    assert not Workspace.objects.filter(title="Citizens first").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2025-01-01"}, "must end after it starts"),
        ({"host": None}, "This field is required"),
        ({"members": []}, "at least two municipalities"),
        ({"members": [999999]}, "Select a valid choice"),
    ],
)
def test_bad_input_saves_nothing(ws, caf, client, changes, message):
    client.force_login(ws.dana)
    data = {k: v for k, v in _data(ws, caf, **changes).items() if v is not None}
    response = client.post("/workspaces/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Workspace.objects.filter(title="Citizens first").exists()


def test_a_municipality_outside_the_organisation_is_refused(ws, caf, client):
    client.force_login(ws.dana)
    # B is charlie's, not a member of dana's association: not even offered
    response = client.post("/workspaces/new/", _data(ws, caf, members=[ws.a.pk, ws.b.pk]))
    assert response.status_code == 400
    assert not Workspace.objects.filter(title="Citizens first").exists()
