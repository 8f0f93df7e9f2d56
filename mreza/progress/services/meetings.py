"""Meetings: scheduling (one-off or a monthly series with a rotating host), changes and
cancellation with their e-mail invitations (iCalendar), agenda, registration, attendance, minutes,
decisions that become follow-up actions, and the private calendar feeds.

Every state change of the meetings part is behind this module (the views and the invitation job
call these). It only gathers the parts, one module each, so callers need not know the split:
`meetings_common` (the refusal, the people of a workspace), `meetings_scheduling` (schedule,
change, cancel), `meetings_record` (agenda, registration, attendance, minutes, decisions) and
`meetings_calendar` (iCalendar events, invitations, calendar feeds).
"""

from mreza.progress.services.meetings_calendar import (
    CANCELLED,
    CHANGED,
    NEW,
    SEND_INVITATIONS,
    calendar_meetings,
    calendar_of,
    create_feed,
    event_of,
    feed_for,
    invitees,
    meeting_url,
    place_of,
    queue_invitations,
    revoke_feed,
    send_invitations,
)
from mreza.progress.services.meetings_common import (
    MeetingRefused,
    Person,
    may_own,
    member_of,
    people_of,
)
from mreza.progress.services.meetings_record import (
    _mark_held,
    add_agenda_item,
    add_decision,
    delete_agenda_item,
    record_attendance,
    register,
    save_minutes,
    update_agenda_item,
    withdraw,
)
from mreza.progress.services.meetings_scheduling import (
    CALENDAR_FIELDS,
    MAX_SERIES,
    cancel_meeting,
    monthly_dates,
    schedule,
    update_meeting,
)

__all__ = [
    "CALENDAR_FIELDS",
    "CANCELLED",
    "CHANGED",
    "MAX_SERIES",
    "NEW",
    "SEND_INVITATIONS",
    "MeetingRefused",
    "Person",
    "_mark_held",  # the home-figures cache's test marks a meeting held directly
    "add_agenda_item",
    "add_decision",
    "calendar_meetings",
    "calendar_of",
    "cancel_meeting",
    "create_feed",
    "delete_agenda_item",
    "event_of",
    "feed_for",
    "invitees",
    "may_own",
    "meeting_url",
    "member_of",
    "monthly_dates",
    "people_of",
    "place_of",
    "queue_invitations",
    "record_attendance",
    "register",
    "revoke_feed",
    "save_minutes",
    "schedule",
    "send_invitations",
    "update_agenda_item",
    "update_meeting",
    "withdraw",
]
