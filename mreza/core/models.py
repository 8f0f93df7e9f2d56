from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit_display import present


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept even when the user is later removed, and names system processes (imports).
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("kind of record"))
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    municipality_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The record the changed one sits inside, where its model names one (a workspace's activity:
    # the workspace), so a container's history and its visibility are one indexed condition.
    container_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def readable_changes(self):
        """(field label in the reader's language, old, new) for each change, as people read them.
        For a list, use core.audit_display.present(), which loads related names in bulk."""
        return present([self])[0].rows


class PeriodicJobRun(models.Model):
    """When a periodic job (`settings.MREZA_PERIODIC_JOBS`) last ran, shared by every process, so
    each web process's worker thread does not run it again on its own (`core.jobs`). Bookkeeping,
    not domain data: not audited (a row changes every few minutes)."""

    command = models.CharField(_("command"), max_length=100, unique=True)
    # the interval counts from the start: a process claims a run by moving this forward
    last_started_at = models.DateTimeField(_("last started"))
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    # of the last run that finished: blank when it succeeded
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["command"]

    def __str__(self):
        return self.command
