"""Persona × endpoint: what each persona's token gets from the private API — 200, 404 (not
visible to them), 401 (no token) — and that the API agrees with `may()` on every object, detail
and list alike (the pages' policy decides the API too)."""

import pytest

from mreza.api.tests.test_private_world import PERSONAS, call
from mreza.core.access import Perm, may

pytest_plugins = ("mreza.api.tests.test_private_world",)

# endpoint -> (url, the object whose Perm.VIEW decides it)
DETAILS = {
    "profile": ("profiles/{w.profile.pk}", lambda w: w.profile),
    "assessment": ("assessments/{w.assessment.pk}", lambda w: w.assessment),
    "consensus": ("assessments/{w.assessment.pk}/consensus", lambda w: w.assessment),
    "network": ("networks/{w.network.pk}", lambda w: w.network),
    "ws": ("workspaces/{w.workspace.pk}", lambda w: w.workspace),
    "activities": ("workspaces/{w.workspace.pk}/activities", lambda w: w.workspace),
    "goals": ("workspaces/{w.workspace.pk}/goals", lambda w: w.workspace),
    "values": (
        "workspaces/{w.workspace.pk}/indicators/{w.indicator.pk}/measurements",
        lambda w: w.indicator,
    ),
    "meetings": ("workspaces/{w.workspace.pk}/meetings", lambda w: w.workspace),
    "twin": ("workspaces/{w.twinning.pk}", lambda w: w.twinning),
    "twin_plan": ("workspaces/{w.twinning.pk}/activities", lambda w: w.twinning),
    "pub": ("workspaces/{w.published.pk}", lambda w: w.published),
}

# what each persona gets: Y 200, - 404; anonymous (no token) 401 everywhere
TABLE = """
        profile assessment consensus network ws activities goals values meetings twin twin_plan pub
alice        Y        Y         Y        Y     Y       Y       Y     Y       Y      Y      Y      Y
bob          Y        Y         Y        Y     Y       Y       Y     Y       Y      Y      Y      Y
charlie      -        -         -        -     -       -       -     -       -      -      -      -
dana         Y        -         -        Y     Y       Y       Y     Y       Y      -      -      Y
mara         Y        Y         Y        Y     Y       Y       Y     Y       Y      Y      Y      Y
nada         -        -         -        -     -       -       -     -       -      -      -      -
admin        Y        Y         Y        Y     Y       Y       Y     Y       Y      Y      Y      Y
"""

# list endpoint -> (url, the object that must be listed exactly when the persona may see it)
LISTS = {
    "profiles": ("profiles", lambda w: w.profile),
    "assessments": ("assessments", lambda w: w.assessment),
    "networks": ("networks", lambda w: w.network),
    "places": ("network-places", lambda w: w.membership),
    "workspaces": ("workspaces", lambda w: w.workspace),
    "twinnings": ("workspaces?kind=twinning", lambda w: w.twinning),
    "activities": ("workspaces/{w.twinning.pk}/activities", lambda w: w.twinning_activity),
}


def _expected(persona):
    rows = [line.split() for line in TABLE.strip().splitlines()]
    header, body = rows[0], {row[0]: row[1:] for row in rows[1:]}
    return dict(zip(header, body[persona], strict=True))


def test_the_table_has_a_row_per_persona_and_a_column_per_endpoint():
    assert set(_expected("alice")) == set(DETAILS)
    assert all(_expected(p) for p in PERSONAS if p != "anonymous")


@pytest.mark.parametrize("persona", PERSONAS)
def test_details_answer_as_the_table_and_may_say(aw, client, persona):
    user = getattr(aw, persona)
    expected = _expected(persona) if persona != "anonymous" else {}
    got, disagree = {}, []
    for name, (url, obj) in DETAILS.items():
        response = call(client, aw, persona, url.format(w=aw))
        assert response["Content-Type"].startswith("application/json"), name
        got[name] = response.status_code
        if persona != "anonymous" and (response.status_code == 200) != may(
            user, Perm.VIEW, obj(aw)
        ):
            disagree.append(name)
    if persona == "anonymous":
        assert set(got.values()) == {401}
        return
    assert got == {name: 200 if mark == "Y" else 404 for name, mark in expected.items()}
    assert disagree == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_hold_exactly_what_may_lets_the_persona_see(aw, client, persona):
    user = getattr(aw, persona)
    listed, disagree = {}, []
    for name, (url, obj) in LISTS.items():
        response = call(client, aw, persona, url.format(w=aw))
        if persona == "anonymous":
            listed[name] = response.status_code
            continue
        if response.status_code == 404:  # the workspace itself is not visible
            shown = False
        else:
            assert response.status_code == 200, name
            shown = obj(aw).pk in {row["id"] for row in response.json()["results"]}
        if shown != may(user, Perm.VIEW, obj(aw)):
            disagree.append(name)
    if persona == "anonymous":
        assert set(listed.values()) == {401}
    assert disagree == []


def test_a_network_coordinator_lists_the_shared_profile_but_not_the_assessment(aw, client):
    """dana's row, spelled out: the profile is shared with her association's coordinators; the
    assessment behind it is private to the municipality."""
    profiles = call(client, aw, "dana", "profiles").json()["results"]
    assert [p["municipality"] for p in profiles] == [aw.a.code]
    assert call(client, aw, "dana", "assessments").json()["results"] == []


def test_consensus_rows_and_never_an_assessors_entry(aw, client):
    body = call(client, aw, "alice", f"assessments/{aw.assessment.pk}/consensus").json()
    assert [(r["subcriterion"], r["score"]) for r in body["results"]] == [
        (aw.subcriterion.code, 55.0)
    ]
    assert "Minutes" not in str(body)  # bob's own (entry) strengths
    assert "Agreed" in str(body)


def test_a_network_shows_its_places_to_whoever_sees_it(aw, client):
    body = call(client, aw, "dana", f"networks/{aw.network.pk}").json()
    assert [p["municipality"] for p in body["places"]] == [aw.a.code]
    # dana sees the network, but the place list of "my places" is the municipalities' own
    assert call(client, aw, "dana", "network-places").json()["count"] == 0


def test_me_names_the_token_and_the_users_roles(aw, client):
    body = call(client, aw, "alice", "me").json()
    assert body["token"].startswith("mrz_") and body["read_only"] is False
    assert body["municipal_roles"] == [{"municipality": aw.a.code, "roles": ["coordinator"]}]
    assert call(client, aw, "anonymous", "me").status_code == 401
