"""Events in the browser: an anonymous visitor finds the association's upcoming conference of the
demo data on /events/ and reads its programme; a demo user (tomo, who is not registered) signs
in and registers — the conference is full, so on the waiting list — and the event's .ics link
gives a calendar entry of it; the organiser (dana, network coordinator of the organising
association SOGRS: core/access/events.py `runs_event`) sees the registration on the attendance
page, adds places on the event's edit page (which gives tomo a place), and once the conference
has taken place ticks tomo present, issues the certificates, and the certificate downloads as a
PDF for the organiser and for tomo.
"""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from browser_tests.conftest import english_page
from mreza.accounts.models import User
from mreza.core.templatetags.mreza import script
from mreza.events.demo import CONFERENCE_PEOPLE, CONFERENCE_TITLE, CONFERENCE_WAITING, SESSIONS
from mreza.events.models import AttendanceCertificate, Event, Registration

pytestmark = pytest.mark.browser

VISITOR, ORGANISER = "tomo", "dana"


def english(text):
    """What an English page shows of a demo text (Cyrillic is shown in Latin to an English
    reader)."""
    with translation.override("en"):
        return script(text)


def person(browser, live_server, who=None):
    """A browser of `who` (signed in, pages in English), or of an anonymous visitor."""
    return english_page(browser, live_server, who)


def read_the_programme(visitor, conference):
    visitor.goto("/events/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Events")
    visitor.get_by_role("link", name=english(CONFERENCE_TITLE)).click()
    expect(visitor).to_have_url(re.compile(rf"/events/{conference.pk}/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(english(CONFERENCE_TITLE))
    programme = visitor.locator("section[aria-labelledby=programme-h]")
    expect(programme.get_by_role("heading", level=2)).to_have_text("Programme")
    sessions = programme.locator("li.session h3")
    expect(sessions).to_have_count(len(SESSIONS))
    expect(sessions.first).to_have_text(english(SESSIONS[0][4]))
    expect(programme).to_contain_text(english(SESSIONS[1][5][0][0]))  # a speaker
    places = f"{len(CONFERENCE_PEOPLE)} of {len(CONFERENCE_PEOPLE)} places taken"
    expect(visitor.locator("#registration")).to_contain_text(places)
    expect(visitor.get_by_role("link", name="Sign in to register.")).to_be_visible()


def register(tomo, conference):
    tomo.goto(f"/events/{conference.pk}/")
    registration = tomo.locator("#registration")
    registration.get_by_role("textbox").first.fill("Grad Banja Luka")
    registration.get_by_role("button", name="Join the waiting list").click()
    expect(tomo.locator(".messages")).to_contain_text(
        "The event is full: you are on the waiting list. If a place becomes free, it is yours "
        "and we tell you by e-mail."
    )
    position = len(CONFERENCE_WAITING) + 1
    expect(registration).to_contain_text(f"You are on the waiting list (number {position}).")
    mine = Registration.objects.get(event=conference, user__email=f"{VISITOR}@mreza.demo")
    assert mine.status == Registration.Status.WAITING and mine.affiliation == "Grad Banja Luka"
    return mine


def calendar_entry(tomo, conference):
    link = tomo.get_by_role("link", name="Add to my calendar (.ics)")
    response = tomo.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) in (CONFERENCE_TITLE, english(CONFERENCE_TITLE))
    assert entry.decoded("DTSTART") == conference.starts_at
    assert entry.decoded("DTEND") == conference.ends_at
    assert "Banja Luka" in english(str(entry["LOCATION"]))


def attendance_page(dana, conference):
    dana.goto(f"/events/{conference.pk}/")
    dana.get_by_role("link", name="Registrations and attendance").click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("Registrations and attendance")


def add_places(dana, conference, tomo_user):
    """The conference is full: the organiser adds places on the edit page; the first people
    waiting — tomo among them — get them."""
    attendance_page(dana, conference)
    waiting = dana.locator("section[aria-labelledby=waiting-h]")
    expect(waiting.locator("li")).to_have_count(len(CONFERENCE_WAITING) + 1)
    expect(waiting.locator("li").last).to_contain_text(tomo_user.get_full_name())
    expect(waiting).to_contain_text("Grad Banja Luka")
    dana.goto(f"/events/{conference.pk}/edit/")
    places = len(CONFERENCE_PEOPLE) + len(CONFERENCE_WAITING) + 1
    dana.get_by_label("Places").fill(str(places))
    dana.get_by_role("button", name=re.compile("^Save")).click()
    expect(dana.locator(".messages")).to_contain_text("The event is saved.")
    expect(dana.locator("#registration")).to_contain_text(f"{places} of {places} places taken")


def take_attendance(dana, conference, tomo_user):
    attendance_page(dana, conference)
    confirmed = dana.locator("section[aria-labelledby=confirmed-h]")
    row = confirmed.locator("tr", has_text=tomo_user.email)
    expect(row).to_contain_text("Grad Banja Luka")
    row.get_by_role("checkbox").check()
    dana.get_by_role("button", name="Save the attendance list").click()
    expect(dana.locator(".messages")).to_contain_text("The attendance list is saved (1 present).")
    expect(
        dana.locator(
            "section[aria-labelledby=confirmed-h] tr", has_text=tomo_user.email
        ).get_by_role("checkbox")
    ).to_be_checked()
    dana.get_by_role("button", name="Issue attendance certificates").click()
    expect(dana.locator(".messages")).to_contain_text("1 attendance certificate issued.")
    certificate = AttendanceCertificate.objects.get(registration__user=tomo_user)
    code = dana.locator("section[aria-labelledby=confirmed-h] tr", has_text=tomo_user.email)
    link = code.get_by_role("link", name=certificate.code)
    return link.get_attribute("href")


def is_pdf(page, href):
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_an_event_from_its_programme_to_the_attendance_certificate(browser, live_server, demo):
    conference = Event.objects.get(title=CONFERENCE_TITLE)
    tomo_user = User.objects.get(email=f"{VISITOR}@mreza.demo")

    read_the_programme(person(browser, live_server), conference)

    tomo = person(browser, live_server, VISITOR)
    registration = register(tomo, conference)
    calendar_entry(tomo, conference)

    dana = person(browser, live_server, ORGANISER)
    add_places(dana, conference, tomo_user)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    tomo.reload()
    expect(tomo.locator("#registration")).to_contain_text("You are registered.")

    # the conference takes place (as the demo's study visit does: the same event, moved back)
    past = timezone.now() - datetime.timedelta(days=2)
    Event.objects.filter(pk=conference.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(days=1)
    )
    href = take_attendance(dana, conference, tomo_user)
    is_pdf(dana, href)

    tomo.goto("/events/mine/")
    certificate = tomo.get_by_role("link", name="Attendance certificate (PDF)")
    expect(certificate).to_have_count(1)
    is_pdf(tomo, certificate.get_attribute("href"))
