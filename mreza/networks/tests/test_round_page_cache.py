"""The round page's large parts are rendered once per change (networks/page_cache.py): a second
view renders nothing again and asks only a few queries, and every change the parts show — an
edit, an answer, a confirmation, a renamed municipality or person, a new coordinator — shows on
the next view. Each reader gets their own CSRF token in the cached forms."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mreza.accounts.models import MunicipalRole, User
from mreza.networks.models import NetworkMembership
from mreza.networks.tests.test_rounds import new_round
from mreza.networks.tests.test_workflow import answer, coordinator_for, edit, publish
from mreza.registry.models import Municipality


def _page(client, round_):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/networks/rounds/{round_.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def proposed(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == "proposed", round_.error
    return round_


@pytest.fixture
def published(proposed, client):
    publish(client, proposed)
    proposed.refresh_from_db()
    assert proposed.status == "published"
    return proposed


def test_a_second_view_renders_nothing_again(published, client):
    first, _queries = _page(client, published)
    again, queries = _page(client, published)
    # the round itself, the user and their roles; the parts come from the cache
    assert queries <= 4, queries
    # the page is the same but for the masked CSRF tokens (forms and the htmx header)
    strip = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')
    assert strip.sub("", again) == strip.sub("", first)
    assert "csrfmiddlewaretoken" in again and "__mreza-csrf-token__" not in again


def test_each_reader_gets_their_own_token(published, client, grouping_world):
    _page(client, published)  # dana's view fills the cache
    other = Client()
    other.force_login(grouping_world.admin)
    body, _queries = _page(other, published)
    token = other.cookies["csrftoken"].value
    assert "__mreza-csrf-token__" not in body
    # the forms carry a token made from the admin's own secret, so posting them works
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert form_token != token  # masked
    assert len(form_token) == 64


def test_an_answer_shows_on_the_next_view(published, client, grouping_world):
    _page(client, published)
    membership = NetworkMembership.objects.filter(network__round=published).first()
    user = coordinator_for(membership.municipality, "zora")
    answer(Client(), user, membership, "decline", "Not this year, sorry")
    body, _queries = _page(client, published)
    assert "Not this year, sorry" in body


def test_a_confirmation_shows_on_the_next_view(published, client):
    before, _queries = _page(client, published)
    network = published.networks.first()
    client.post(f"/networks/{network.pk}/change/", {"action": "confirm"})
    after, _queries = _page(client, published)
    assert after.count('<span class="badge">confirmed</span>') == (
        before.count('<span class="badge">confirmed</span>') + 1
    )


def test_an_edit_of_the_proposal_shows_on_the_next_view(proposed, client):
    _page(client, proposed)
    member = proposed.proposal["networks"][0]["members"][0]
    edit(client, proposed, action="remove", network=0, member=member, version=proposed.version)
    proposed.refresh_from_db()
    assert member not in proposed.proposal["networks"][0]["members"]
    body, _queries = _page(client, proposed)
    left_out = body[body.index('id="left-h"') :]
    name = Municipality.objects.get(pk=int(member)).name
    assert name in left_out


def test_renamed_places_and_people_and_new_coordinators_show(published, client):
    before, _queries = _page(client, published)
    membership = NetworkMembership.objects.filter(network__round=published).first()
    municipality = membership.municipality
    assert "no coordinator: invite one" in before
    invite_link = f"/networks/coordinators/{municipality.code}/invite/"
    had_link = invite_link in before
    municipality.name = "Novo Ime Opštine"
    municipality.save()
    body, _queries = _page(client, published)
    assert "Novo Ime Opštine" in body

    user = User.objects.create_user("ziva@example.org", "test-password-123", full_name="Živa")
    MunicipalRole.objects.create(user=user, municipality=municipality, role="coordinator")
    body, _queries = _page(client, published)
    if had_link:
        assert invite_link not in body

    answer(Client(), user, membership, "accept")
    body, _queries = _page(client, published)
    assert "Živa" in body
    user.full_name = "Živa Perić"
    user.save()
    body, _queries = _page(client, published)
    assert "Živa Perić" in body
