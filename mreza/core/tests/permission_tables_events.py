"""The persona × Perm tables of step 5 (events), merged into test_permission_tables.py (same
personas, same world, same checks: the policy and a representative page).

The world: the association's published annual conference hosted by A, registration open, with
one session; a draft workshop of the association; bob's registration for the conference and his
attendance certificate.
"""

import datetime

from mreza.core.access import Perm

# the platform: "new event" for whoever may create one for some organisation
EVENTS_PLATFORM = """
            create_event
alice            -
bob              -
charlie          -
dana             Y
mara             -
nada             -
admin            Y
anonymous        -
"""

# the association: its network coordinators create its events
ORGANISATION_EVENTS = """
            create_event
alice            -
bob              -
charlie          -
dana             Y
mara             -
nada             -
admin            Y
anonymous        -
"""

# the published conference: public; run by the association's coordinator and by the coordinator
# of the host municipality A; any signed-in user registers while registration is open
EVENT = """
            view  manage_event  register_for_event
alice        Y         Y               Y
bob          Y         -               Y
charlie      Y         -               Y
dana         Y         Y               Y
mara         Y         -               Y
nada         Y         -               Y
admin        Y         Y               Y
anonymous    Y         -               -
"""

# a draft of the association (no host): private to who runs it (no registration before it is
# published)
DRAFT_EVENT = """
            view  manage_event  register_for_event
alice        -         -               -
bob          -         -               -
charlie      -         -               -
dana         Y         Y               -
mara         -         -               -
nada         -         -               -
admin        Y         Y               -
anonymous    -         -               -
"""

SESSION = """
            view  manage_event
alice        Y         Y
bob          Y         -
charlie      Y         -
dana         Y         Y
mara         Y         -
nada         Y         -
admin        Y         Y
anonymous    Y         -
"""

# bob's registration: seen and withdrawn (CHANGE) by bob and by who runs the event
REGISTRATION = """
            view  change  manage_event
alice        Y      Y          Y
bob          Y      Y          -
charlie      -      -          -
dana         Y      Y          Y
mara         -      -          -
nada         -      -          -
admin        Y      Y          Y
anonymous    -      -          -
"""

ATTENDANCE_CERTIFICATE = """
            view  manage_event
alice        Y         Y
bob          Y         -
charlie      -         -
dana         Y         Y
mara         -         -
nada         -         -
admin        Y         Y
anonymous    -         -
"""

OBJECTS = {
    "EVENTS_PLATFORM": lambda w: None,
    "ORGANISATION_EVENTS": lambda w: w.association,
    "EVENT": lambda w: w.conference,
    "DRAFT_EVENT": lambda w: w.draft_event,
    "SESSION": lambda w: w.event_session,
    "REGISTRATION": lambda w: w.registration,
    "ATTENDANCE_CERTIFICATE": lambda w: w.attendance_certificate,
}

TABLES = {name: globals()[name] for name in OBJECTS}

EV = "/events/{w.conference.pk}"
DRAFT = "/events/{w.draft_event.pk}"
URLS = {
    "EVENTS_PLATFORM": {Perm.CREATE_EVENT: ("get", "/events/new/", None)},
    "ORGANISATION_EVENTS": {
        Perm.CREATE_EVENT: None,  # the organiser chosen on the same form (tests/test_pages.py)
    },
    "EVENT": {
        Perm.VIEW: ("get", EV + "/", None),
        Perm.MANAGE_EVENT: ("get", EV + "/edit/", None),
        Perm.REGISTER_FOR_EVENT: ("post", EV + "/register/", {}),
    },
    "DRAFT_EVENT": {
        Perm.VIEW: ("get", DRAFT + "/", None),
        Perm.MANAGE_EVENT: ("get", DRAFT + "/registrations/", None),
        Perm.REGISTER_FOR_EVENT: None,  # the form is not shown; the service refuses (tests)
    },
    "SESSION": {
        Perm.VIEW: None,  # on the event's page
        Perm.MANAGE_EVENT: ("get", EV + "/sessions/{w.event_session.pk}/edit/", None),
    },
    "REGISTRATION": {
        Perm.VIEW: None,  # on the event's page and "my registrations"
        Perm.CHANGE: ("post", EV + "/registrations/{w.registration.pk}/withdraw/", {}),
        Perm.MANAGE_EVENT: None,  # the event's registrations page (the EVENT row)
    },
    "ATTENDANCE_CERTIFICATE": {
        Perm.VIEW: ("get", EV + "/certificates/{w.attendance_certificate.pk}/pdf/", None),
        Perm.MANAGE_EVENT: (
            "post",
            EV + "/certificates/{w.attendance_certificate.pk}/revoke/",
            {},
        ),
    },
}


def build(world):
    """Add this step's objects to the shared world (called once per test by the world fixture)."""
    from django.utils import timezone

    from mreza.events.models import AttendanceCertificate, Event
    from mreza.events.services import events, registrations

    starts = timezone.now() + datetime.timedelta(days=20)
    common = {
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "organiser": world.association,
    }
    world.conference = events.publish(
        events.create_event(
            {"kind": Event.Kind.CONFERENCE, "title": "Conference", "host": world.a} | common,
            world.dana,
        )
    )
    world.draft_event = events.create_event(
        {"kind": Event.Kind.WORKSHOP, "title": "Draft workshop"} | common, world.dana
    )
    world.event_session = events.add_session(
        world.conference,
        {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=1), "title": "Opening"},
    )
    world.registration = registrations.register(world.conference, world.bob)
    world.attendance_certificate = AttendanceCertificate.objects.create(
        registration=world.registration,
        statement={"person": "Bob", "event_title": "Conference"},
        code="TEST-CODE-0002",
        signature="0" * 64,
    )
