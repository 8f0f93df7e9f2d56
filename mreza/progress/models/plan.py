"""Goals with indicators and their measured values; the action plan (activities, commitments)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.progress.models.workspace import Workspace, WorkspaceMember


class Goal(AuditedModel):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["workspace", "order", "id"]

    def __str__(self):
        return self.title


class Indicator(AuditedModel):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")

    class Scope(models.TextChoices):
        NETWORK = "network", _("for the whole network")
        MEMBER = "member", _("for each member")

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.NETWORK
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "goal.workspace_id"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal", "id"]

    def __str__(self):
        return self.name


class Measurement(AuditedModel):
    """A measured value of an indicator on a date, with its source (network-wide or for one
    member)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="measurements")
    member = models.ForeignKey(
        WorkspaceMember,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("member"),
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_container_field = "indicator.goal.workspace_id"

    class Meta:
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")
        ordering = ["indicator", "measured_on", "id"]

    def __str__(self):
        return f"{self.indicator_id} {self.measured_on}: {self.value}"


class Activity(AuditedModel):
    """One line of the action plan; a meeting's decision becomes one (`decision`)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="activities")
    goal = models.ForeignKey(
        Goal,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_member = models.ForeignKey(
        WorkspaceMember,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("responsible member"),
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_activities",
        verbose_name=_("responsible person"),
    )
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    risks = models.TextField(_("risks"), blank=True)
    # set when the activity is a follow-up of a meeting decision
    decision = models.OneToOneField(
        "progress.Decision",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up",
        verbose_name=_("decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["workspace", "due_on", "id"]
        indexes = [models.Index(fields=["workspace", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="activity_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class Commitment(AuditedModel):
    """What one member has promised to the network (its share of the plan)."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="commitments")
    member = models.ForeignKey(
        WorkspaceMember, models.CASCADE, related_name="commitments", verbose_name=_("member")
    )
    activity = models.ForeignKey(
        Activity,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("activity"),
    )
    text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    is_fulfilled = models.BooleanField(_("fulfilled"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["workspace", "member", "id"]

    def __str__(self):
        return self.text[:80]
