"""iCalendar (RFC 5545) for meetings: invitations (iTIP METHOD:REQUEST / CANCEL, RFC 5546) and
calendar feeds, built with the `icalendar` package.

No Django here: the services turn meetings into `Event`s (texts already in the reader's language
and script) and this module writes them.
"""

import datetime
from dataclasses import dataclass, field

import icalendar

PRODUCT_ID = "-//Mreza//Meetings//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass
class Event:
    uid: str
    sequence: int
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    organizer_email: str = ""
    organizer_name: str = ""
    attendees: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, name)
    updated_at: datetime.datetime | None = None


def _utc(moment):
    return moment.astimezone(datetime.UTC)


def _vevent(event, stamp):
    vevent = icalendar.Event()
    # the UID stays the same for the life of the meeting; SEQUENCE tells calendars which is newer
    vevent.add("uid", f"{event.uid}@mreza")
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(stamp))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.updated_at is not None:
        vevent.add("last-modified", _utc(event.updated_at))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["cn"] = icalendar.vText(event.organizer_name)
        vevent.add("organizer", organizer)
    for email, name in event.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = icalendar.vText(name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        vevent.add("attendee", attendee)
    return vevent


def calendar(events, *, method=None, name="", now=None):
    """The iCalendar text (bytes) of `events`; `method` REQUEST or CANCEL for an invitation, None
    for a feed (a calendar app subscribes to it and shows what it holds)."""
    stamp = now or datetime.datetime.now(datetime.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, stamp))
    return cal.to_ical()
