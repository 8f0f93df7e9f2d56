"""Public events without an account: published and cancelled events only (never a draft), the
filters, places left but never who registered, one event with its programme and what is
showcased there, times with their offset, pagination limits, ETags, constant query counts."""

import datetime

import pytest
from django.utils import timezone

from mreza.api.tests.public_fixtures import _fresh_rate_limits, count_queries, get_json  # noqa: F401
from mreza.events.models import Event
from mreza.events.services import events as services
from mreza.events.services import registrations
from mreza.events.tests.conftest import ev, make_event  # noqa: F401 (fixture)
from mreza.practices.models import Practice
from mreza.practices.tests.test_search import make_practice
from mreza.progress.models import Workspace
from mreza.registry.models import Organisation

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"
MILLISECOND = datetime.timedelta(milliseconds=1)


def ids(body):
    return [e["id"] for e in body["results"]]


@pytest.fixture
def events(ev):  # noqa: F811 (the fixture imported above)
    w = ev
    w.draft = make_event(w, status=Event.Status.DRAFT, title="Nacrt radionice", days=10)
    w.cancelled = make_event(
        w, status=Event.Status.CANCELLED, kind=Event.Kind.WORKSHOP, title="Otkazano", days=5
    )
    w.past = make_event(
        w, kind=Event.Kind.STUDY_VISIT, title="Studijska posjeta", days=-20, capacity=None
    )
    return w


def test_drafts_are_never_shown(events, client):
    body = get_json(client, URL)
    assert set(ids(body)) == {events.conference.pk, events.cancelled.pk, events.past.pk}
    assert Event.objects.count() == 4  # the draft exists: only the filter keeps it out
    assert get_json(client, f"{URL}/{events.draft.pk}", status=404)["code"] == "not_found"
    client.force_login(events.dana)  # she runs the draft; the public API is the same for all
    assert events.draft.pk not in ids(get_json(client, URL))
    assert get_json(client, f"{URL}/{events.draft.pk}", status=404)


def test_a_list_item_with_places_left_and_no_people(events, client):
    registrations.register(events.conference, events.bob)
    (row,) = [e for e in get_json(client, URL)["results"] if e["id"] == events.conference.pk]
    assert row["kind"] == "conference" and row["title"] == "Годишња конференција"
    assert row["organiser"] == {"code": "T-ASSOC", "name": "Савез општина"}
    assert row["host"] == "T-A" and row["languages"] == ["sr", "en"]
    assert (row["capacity"], row["places_left"]) == (2, 1)
    assert row["status"] == "published" and row["online"] is False
    assert row["url"] == f"http://testserver/events/{events.conference.pk}/"
    # ISO 8601 with the site's offset (Europe/Sarajevo), the same moment as stored
    start = datetime.datetime.fromisoformat(row["start"])
    assert start.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    assert abs(start - events.conference.starts_at) < MILLISECOND  # JSON keeps milliseconds
    text = str(get_json(client, URL))
    assert "bob" not in text.lower() and "registrations" not in text
    past = next(e for e in get_json(client, URL)["results"] if e["id"] == events.past.pk)
    assert (past["capacity"], past["places_left"]) == (None, None)


def test_filters(events, client):
    w = events
    assert ids(get_json(client, f"{URL}?kind=workshop")) == [w.cancelled.pk]
    assert ids(get_json(client, f"{URL}?when=past")) == [w.past.pk]
    assert ids(get_json(client, f"{URL}?when=upcoming")) == [w.cancelled.pk, w.conference.pk]
    assert ids(get_json(client, f"{URL}?order=-start")) == [
        w.conference.pk,
        w.cancelled.pk,
        w.past.pk,
    ]
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    assert ids(get_json(client, f"{URL}?from={today}&to={soon}")) == [w.cancelled.pk]
    assert ids(get_json(client, f"{URL}?to={today}")) == [w.past.pk]
    assert get_json(client, f"{URL}?organiser=T-ASSOC")["count"] == 3
    Organisation.objects.create(code="T-OTHER", kind="association", name="Other")
    assert get_json(client, f"{URL}?organiser=T-OTHER")["count"] == 0
    for bad in ("kind=party", "when=never", "from=yesterday", "to=0001-01-01", "order=x"):
        field = bad.split("=")[0]
        assert get_json(client, f"{URL}?{bad}", status=422)["errors"][0]["field"] == field


def test_one_event_with_programme_and_showcase(events, client, world):
    w = events
    shown = make_practice(w.a, "Upravljanje otpadom")
    draft = make_practice(w.a, "Nacrt", status=Practice.Status.DRAFT)
    public = Workspace.objects.create(kind="twinning", title="Javno", is_published=True)
    private = Workspace.objects.create(kind="twinning", title="Privatno")
    services.set_showcase(w.conference, workspaces=[public, private], practices=[shown, draft])
    registrations.register(w.conference, w.charlie, "Tuzla")
    body = get_json(client, f"{URL}/{w.conference.pk}")
    assert body["places_left"] == 1
    (session,) = body["programme"]
    assert (session["title"], session["room"]) == ("Отварање", "Сала 1")
    assert session["speakers"] == [
        {"name": "Дана Илић", "affiliation": "Савез", "bio": "Координаторка"}
    ]
    start = datetime.datetime.fromisoformat(session["start"])
    assert abs(start - w.session.starts_at) < MILLISECOND
    assert [p["title"] for p in body["practices"]] == ["Upravljanje otpadom"]
    assert body["practices"][0]["municipality"] == "T-A"
    assert [x["title"] for x in body["workspaces"]] == ["Javno"]
    assert body["description_html"].startswith("<p>")
    text = str(body).lower()
    assert "charlie" not in text and "tuzla" not in text and "attend" not in text


def test_a_cancelled_event_is_public_and_says_so(events, client):
    assert get_json(client, f"{URL}/{events.cancelled.pk}")["status"] == "cancelled"


def test_ids_out_of_range(events, client):
    assert get_json(client, f"{URL}/0", status=422)["errors"][0]["field"] == "event_id"
    assert get_json(client, f"{URL}/{2**70}", status=422)
    assert get_json(client, f"{URL}/{2**63 - 1}", status=404)


def test_pagination_limits_and_etag(events, client):
    body = get_json(client, f"{URL}?page_size=2")
    assert (body["count"], body["pages"], len(body["results"])) == (3, 2, 2)
    assert "page=2" in body["next"]
    for bad in ("page_size=0", "page_size=201", "page=0"):
        get_json(client, f"{URL}?{bad}", status=422)
    first = client.get(URL)
    again = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    make_event(events, title="Nova")
    assert client.get(URL, headers={"If-None-Match": first["ETag"]}).status_code == 200


def _grow(world, count):
    for number in range(count):
        event = make_event(world, title=f"Radionica {number}", days=40 + number)
        session = services.add_session(
            event,
            {
                "starts_at": event.starts_at,
                "ends_at": event.starts_at,
                "room": "",
                "title": f"S{number}",
                "description": "",
            },
        )
        services.add_speaker(session, {"name": "Ana", "affiliation": "", "bio": ""})
        registrations.register(event, world.bob)


def test_query_counts_stay_the_same_as_events_grow(
    events, client, django_assert_max_num_queries, rendered_pages
):
    _grow(events, 5)
    few = count_queries(client, f"{URL}?page_size=200")
    _grow(events, 25)
    with django_assert_max_num_queries(few):
        assert get_json(client, f"{URL}?page_size=200")["count"] == 33
    assert few <= 3


def test_one_events_query_count_does_not_grow(events, client, django_assert_max_num_queries):
    w = events
    url = f"{URL}/{w.conference.pk}"
    few = count_queries(client, url)
    for number in range(30):
        session = services.add_session(
            w.conference,
            {
                "starts_at": w.conference.starts_at,
                "ends_at": w.conference.starts_at,
                "room": "",
                "title": f"S{number}",
                "description": "",
            },
        )
        services.add_speaker(session, {"name": f"P{number}", "affiliation": "", "bio": ""})
        services.add_speaker(session, {"name": f"Q{number}", "affiliation": "", "bio": ""})
    practices = [make_practice(w.b, f"Praksa {n}") for n in range(30)]
    services.set_showcase(w.conference, practices=practices)
    with django_assert_max_num_queries(few):
        assert len(get_json(client, url)["programme"]) == 31
