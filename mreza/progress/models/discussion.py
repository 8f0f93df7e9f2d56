"""Documents and links shared in a workspace, its discussion, and the notifications it sends."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.progress.models.meetings import Meeting
from mreza.progress.models.workspace import Workspace


def document_path(instance, filename):
    # the stored name never uses the uploaded name (it is kept in `filename` for the download)
    return f"progress/{instance.workspace_id}/{instance.stored_token}"


class Document(AuditedModel):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="documents")
    meeting = models.ForeignKey(
        Meeting,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    # either a file or a link
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=300)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    stored_token = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=1000)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"stored_token"})

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["workspace", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(file="") & models.Q(url=""))
                | (models.Q(file="") & ~models.Q(url="")),
                name="document_file_or_link",
            )
        ]

    def __str__(self):
        return self.title


class Post(AuditedModel):
    """A message in the workspace's discussion; @-mentions notify the people named."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["workspace", "created_at"]
        indexes = [models.Index(fields=["workspace", "created_at"])]

    def __str__(self):
        return self.body[:80]


class NotificationSettings(models.Model):
    """How a user wants to hear from the workspaces: each message at once, or a weekly digest."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        WEEKLY = "weekly", _("a weekly digest")
        NONE = "none", _("no e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_settings"
    )
    mode = models.CharField(
        _("e-mail"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    # the unsubscribe link's secret (signed links would also do; a token can be reset)
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user_id}: {self.mode}"


class Notification(models.Model):
    """One thing a user should hear about; sent at once or gathered into the weekly digest."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        MEETING = "meeting", _("upcoming meeting")
        ASSIGNED = "assigned", _("assigned to you")
        OVERDUE = "overdue", _("overdue")
        DECLINED = "declined", _("declined")
        MENTION = "mention", _("mentioned you")
        POST = "post", _("new message")
        EVENT = "event", _("event")
        PRACTICE = "practice", _("good practice")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    workspace = models.ForeignKey(
        Workspace, models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    # a key so the same reminder is not queued twice (e.g. "overdue:activity:12:2027-03-01")
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # time-critical (a place from the waiting list, a cancelled event): e-mailed at once also to
    # those who chose the weekly digest, because a week later it is too late
    urgent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "sent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_notification_key",
            )
        ]

    def __str__(self):
        return self.subject
