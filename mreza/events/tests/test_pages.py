"""The events' pages: the public list (upcoming, past; drafts only for who runs them; the same
number of queries however many events), creating and editing (drafts private, a stale edit
refused with the text kept), the programme, the attendance list and its XLSX (no formulas), the
showcase, "my registrations"."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mreza.events.models import Event, Session
from mreza.events.services import registrations as registering
from mreza.events.tests.conftest import make_event
from mreza.practices.models import Practice
from mreza.progress.models import Workspace

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_list_is_public_and_drafts_stay_private(client, world):
    make_event(world, title="Open workshop", kind="workshop")
    make_event(world, title="Hidden draft", status="draft")
    page = client.get("/events/").content.decode()
    assert "Open workshop" in page and "Hidden draft" not in page
    client.force_login(world.charlie)
    assert "Hidden draft" not in client.get("/events/").content.decode()
    client.force_login(world.alice)  # coordinator of the host municipality
    assert "Hidden draft" in client.get("/events/").content.decode()


def test_the_list_takes_the_same_queries_however_many_events(
    client, world, django_assert_max_num_queries
):
    make_event(world)
    client.force_login(world.dana)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/events/").status_code == 200
    for day in range(12):
        event = make_event(world, days=day + 1, title=f"Event {day}")
        registering.register(event, world.bob)
        past = make_event(world, days=-day - 5, title=f"Past {day}", registration_closes_at=None)
        Event.objects.filter(pk=past.pk).update(
            ends_at=past.starts_at + datetime.timedelta(hours=1)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/events/").content.decode()
    assert "Event 11" in page and "Past 0" in page


def test_the_detail_page_takes_the_same_queries_however_long_the_programme(
    client, ev, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        assert client.get(f"/events/{ev.conference.pk}/").status_code == 200
    for hour in range(1, 6):
        Session.objects.create(
            event=ev.conference,
            starts_at=ev.conference.starts_at + datetime.timedelta(hours=hour),
            ends_at=ev.conference.starts_at + datetime.timedelta(hours=hour, minutes=50),
            title=f"Session {hour}",
        ).speakers.create(name=f"Speaker {hour}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/events/{ev.conference.pk}/").content.decode()
    assert "Session 5" in page and "Speaker 5" in page and "Dana Ilić" in page


def _form(world, **extra):
    starts = timezone.now() + datetime.timedelta(days=10)
    return {
        "kind": "workshop",
        "title": "Radionica o javnim nabavkama",
        "description": "Plain text",
        "starts_at": _local(starts),
        "ends_at": _local(starts + datetime.timedelta(hours=4)),
        "place": "Tuzla",
        "online_url": "",
        "organiser": str(world.association.pk),
        "host": "",
        "languages": ["bs", "sr"],
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
    } | extra


def test_a_network_coordinator_creates_a_draft_then_publishes_it(client, world):
    client.force_login(world.dana)
    response = client.post("/events/new/", _form(world))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == "draft" and event.capacity == 30 and event.languages == ["bs", "sr"]
    client.logout()
    assert client.get(f"/events/{event.pk}/").status_code == 302  # sign in first
    client.force_login(world.dana)
    client.post(f"/events/{event.pk}/publish/")
    client.logout()
    assert client.get(f"/events/{event.pk}/").status_code == 200


def test_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.dana)
    bad = _form(world, capacity="-3", online_url="javascript:alert(1)", title="Kept title")
    bad["ends_at"] = "2020-01-01T10:00"
    response = client.post("/events/new/", bad)
    page = response.content.decode()
    assert response.status_code == 200 and Event.objects.count() == 0
    assert "Kept title" in page
    assert "The event ends after it starts." in page
    assert "Enter a web address that starts with http:// or https://." in page
    no_one = _form(world, organiser="", host="")
    assert "Name the organiser" in client.post("/events/new/", no_one).content.decode()


def test_a_municipal_user_cannot_create_events(client, world):
    client.force_login(world.charlie)
    assert client.post("/events/new/", _form(world)).status_code == 403
    client.force_login(world.alice)  # a host coordinator runs hosted events, creates none
    assert client.get("/events/new/").status_code == 403


def test_a_stale_edit_is_refused_with_the_text_kept(client, ev):
    event = ev.conference
    client.force_login(ev.dana)
    data = _form(ev, title="My new title", version=str(event.version))
    Event.objects.filter(pk=event.pk).update(version=event.version + 1)
    response = client.post(f"/events/{event.pk}/edit/", data)
    assert response.status_code == 409
    assert "My new title" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Годишња конференција"


def test_the_programme_gets_sessions_and_speakers(client, ev):
    client.force_login(ev.alice)
    starts = ev.conference.starts_at + datetime.timedelta(hours=2)
    response = client.post(
        f"/events/{ev.conference.pk}/programme/",
        {
            "starts_at": _local(starts),
            "ends_at": _local(starts + datetime.timedelta(hours=1)),
            "room": "B",
            "title": "Panel",
            "description": "",
        },
    )
    assert response.status_code == 302
    session = ev.conference.sessions.get(title="Panel")
    prefix = f"speaker-{session.pk}"
    client.post(
        f"/events/{ev.conference.pk}/sessions/{session.pk}/speakers/",
        {f"{prefix}-name": "Mirza Begić", f"{prefix}-affiliation": "Tuzla", f"{prefix}-bio": ""},
    )
    assert session.speakers.get().name == "Mirza Begić"
    outside = {
        "starts_at": _local(ev.conference.starts_at - datetime.timedelta(days=2)),
        "ends_at": _local(ev.conference.starts_at - datetime.timedelta(days=1)),
        "title": "Too early",
    }
    page = client.post(f"/events/{ev.conference.pk}/programme/", outside).content.decode()
    assert "A session takes place while the event does." in page


def test_attendance_list_and_its_xlsx(client, ev):
    ev.bob.full_name = '=HYPERLINK("http://evil")'
    ev.bob.save()
    bob = registering.register(ev.conference, ev.bob, "@SUM(1)")
    registering.register(ev.conference, ev.charlie)
    Event.objects.filter(pk=ev.conference.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    client.force_login(ev.dana)
    response = client.post(f"/events/{ev.conference.pk}/registrations/", {"present": [bob.pk]})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.attended and bob.checked_in_at is not None
    response = client.get(f"/events/{ev.conference.pk}/attendance.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    values = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert "yes" in values and "no" in values
    assert all(sheet.cell(r, c).data_type != "f" for r in range(1, 5) for c in range(1, 7))
    client.force_login(ev.bob)
    assert client.get(f"/events/{ev.conference.pk}/registrations/").status_code == 403


def test_the_showcase_presents_public_network_results(client, ev):
    public = Workspace.objects.create(kind="twinning", title="Banja Luka – Kranj")
    public.is_published = True
    public.save()
    private = Workspace.objects.create(kind="twinning", title="Private twinning")
    ev.conference.workspaces.set([public, private])
    page = client.get(f"/events/{ev.conference.pk}/showcase/").content.decode()
    assert "Banja Luka – Kranj" in page and "Private twinning" not in page
    assert f"/workspaces/{public.pk}/progress/" in page


def test_my_registrations(client, ev):
    registering.register(ev.conference, ev.bob)
    client.force_login(ev.bob)
    page = client.get("/events/mine/").content.decode()
    assert "Godišnja konferencija" in page
    client.logout()
    assert client.get("/events/mine/").status_code == 302


def _practice(world, title, status="published"):
    return Practice.objects.create(
        municipality=world.a,
        language="sr",
        title=title,
        summary="s",
        problem="p",
        actions="a",
        results="r",
        contact_name="Alisa",
        status=status,
    )


def test_the_showcase_presents_published_practices_added_by_number(client, ev):
    published = _practice(ev, "Управљање отпадом")
    draft = _practice(ev, "Draft practice", status="draft")
    client.force_login(ev.dana)
    url = f"/events/{ev.conference.pk}/showcase/edit/"
    page = client.post(url, {"add_practices": f"{draft.pk}"}).content.decode()
    assert f"No published good practice has the number {draft.pk}." in page
    response = client.post(url, {"add_practices": f"/practices/{published.pk}/"})
    assert response.status_code == 302
    assert list(ev.conference.practices.all()) == [published]
    client.logout()
    page = client.get(f"/events/{ev.conference.pk}/showcase/").content.decode()
    assert "Upravljanje otpadom" in page and f"/practices/{published.pk}/" in page


@pytest.mark.parametrize(
    "path", ["edit/", "programme/", "registrations/", "showcase/edit/", "attendance.xlsx"]
)
def test_the_organisers_pages_open(client, ev, path):
    client.force_login(ev.alice)
    assert client.get(f"/events/{ev.conference.pk}/{path}").status_code == 200
    client.force_login(ev.bob)
    assert client.get(f"/events/{ev.conference.pk}/{path}").status_code == 403


def test_the_new_event_form_opens_for_a_coordinator(client, world):
    client.force_login(world.dana)
    page = client.get("/events/new/").content.decode()
    assert "Savez opština" in page or "Савез општина" in page
