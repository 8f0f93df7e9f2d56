"""Events and the annual conference (step 5): workshops, study visits, exchange meetings of heads
of departments and the association's annual conference.

An `Event` is organised by an organisation of the registry and/or hosted by a municipality; it is
private to who runs it while a draft and public once published (a cancelled event stays public so
its page says so). Its programme is a list of `Session`s with their `Speaker`s. People register
(`Registration`): confirmed up to the capacity, then on the waiting list; a cancellation promotes
the first waiting person. The organiser takes attendance (check-in) and issues attendance
certificates (`AttendanceCertificate`, a signed code checked on the public /verify/<code>/ page).

The description is rich text cleaned by `core.richtext.sanitise` (nh3, an allow-list) before it is
stored;
every other text is plain and shown escaped. Serbian text is stored as typed and shown in the
reader's script.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel

LANGUAGES = ("sr", "bs", "hr", "bg", "en")


class Event(AuditedModel):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        STUDY_VISIT = "study_visit", _("study visit")
        EXCHANGE_MEETING = "exchange_meeting", _("exchange meeting of heads of departments")
        CONFERENCE = "conference", _("annual conference")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    # rich text, stored already cleaned (core.richtext.sanitise)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    organiser = models.ForeignKey(
        "registry.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organiser"),
    )
    host = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host municipality"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    workspaces = models.ManyToManyField(
        "progress.Workspace",
        blank=True,
        related_name="showcased_at",
        verbose_name=_("network results showcased"),
    )
    practices = models.ManyToManyField(
        "practices.Practice",
        blank=True,
        related_name="showcased_at",
        verbose_name=_("good practices showcased"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after"
            ),
            models.CheckConstraint(
                condition=models.Q(organiser__isnull=False) | models.Q(host__isnull=False),
                name="event_has_organiser_or_host",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.status != self.Status.DRAFT

    def registration_is_open(self, now=None):
        """Published, not over, and within the registration dates (either may be empty)."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or now >= self.ends_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class Session(AuditedModel):
    """One item of the programme: a talk, a panel, a visit, a break."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="session_ends_after"
            )
        ]

    def __str__(self):
        return self.title


class Speaker(AuditedModel):
    session = models.ForeignKey(Session, models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["session", "order", "id"]

    def __str__(self):
        return self.name


class Registration(AuditedModel):
    """A person's place at an event: confirmed, on the waiting list (in order of `created_at`), or
    cancelled. One live registration per person and event (a constraint, so two clicks at once
    cannot make two)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="event_registrations"
    )
    affiliation = models.CharField(_("organisation or municipality"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue")
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.event_id}: {self.status}"


class AttendanceCertificate(AuditedModel):
    """A certificate that a person attended an event, as a PDF with a verification code. The code
    only finds the row; the signature (an HMAC of the code and the statement, keyed with the site's
    secret) is what makes it genuine (services/certificates.py)."""

    registration = models.ForeignKey(Registration, models.PROTECT, related_name="certificates")
    # what the certificate states, frozen when issued: the person, the event, its dates and place
    statement = models.JSONField(default=dict)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    signature = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance certificate")
        verbose_name_plural = _("attendance certificates")
        ordering = ["registration", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_attendance_certificate",
            )
        ]

    def __str__(self):
        return self.code
