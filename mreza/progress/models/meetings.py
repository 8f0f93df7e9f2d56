"""Meetings: a monthly series or one-off, agenda, registration, attendance, minutes, decisions;
calendar feeds."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.progress.models.workspace import Workspace, WorkspaceMember


class MeetingSeries(AuditedModel):
    """A monthly series: one meeting per month on the same weekday of the same week (e.g. the second
    Tuesday), the host rotating through the members in order."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("title"), max_length=300)
    first_starts_at = models.DateTimeField(_("first meeting"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    count = models.PositiveSmallIntegerField(_("number of meetings"))
    rotate_host = models.BooleanField(_("host rotates among the members"), default=True)
    online_url = models.URLField(_("online link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["workspace", "first_starts_at"]

    def __str__(self):
        return self.title


class Meeting(AuditedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    host = models.ForeignKey(
        WorkspaceMember,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host municipality"),
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    # the iCalendar UID stays the same when the meeting is moved, so calendars update it
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    # iCalendar SEQUENCE: raised on every change that calendars must pick up
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["workspace", "starts_at"]
        indexes = [models.Index(fields=["workspace", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title


class AgendaItem(AuditedModel):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    title = models.CharField(_("item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    audit_container_field = "meeting.workspace_id"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class Registration(AuditedModel):
    """A person's "I will attend"."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    member = models.ForeignKey(WorkspaceMember, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    audit_container_field = "meeting.workspace_id"

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_registration")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.meeting_id}"


class Attendance(AuditedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    member = models.ForeignKey(WorkspaceMember, models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    audit_container_field = "meeting.workspace_id"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_attendance")
        ]

    def __str__(self):
        return f"{self.user_id} {self.status} {self.meeting_id}"


class Decision(AuditedModel):
    """A decision in the minutes; it becomes a follow-up action (Activity.decision) with owner and
    due date."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(auto_now_add=True)

    audit_container_field = "meeting.workspace_id"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.text[:80]


class CalendarFeed(models.Model):
    """A private calendar feed URL of one user: every meeting they may attend. Only the token's
    hash is kept; the URL is shown once. Revoked feeds answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed {self.pk} of {self.user_id}"
