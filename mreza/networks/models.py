from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel

DEFAULT_PARAMS = {
    "min_size": 6,
    "max_size": 12,
    "max_networks_per_municipality": 1,
    "distance_weight": 0.1,
    "max_partnerships_per_learner": 1,
    "max_mentees_per_mentor": 2,
    "mentor_distance_weight": 0.05,
}


class GroupingRound(AuditedModel):
    """One proposal of networks and partnerships, kept with its inputs so decisions can be explained
    later."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        QUEUED = "queued", _("waiting to run")
        RUNNING = "running", _("running")
        PROPOSED = "proposed", _("proposal ready")
        FAILED = "failed", _("failed")
        PUBLISHED = "published", _("published")

    organisation = models.ForeignKey(
        "registry.Organisation",
        models.PROTECT,
        related_name="grouping_rounds",
        verbose_name=_("coordinating organisation"),
    )
    framework = models.ForeignKey(
        "assessment.Framework", models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    title = models.CharField(_("title"), max_length=200)
    areas = models.JSONField(_("areas"), default=list)
    params = models.JSONField(_("parameters"), default=dict)
    filters = models.JSONField(_("selection"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    progress = models.PositiveSmallIntegerField(default=0)
    time_limit = models.FloatField(default=5.0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # the engine's output, as proposed
    proposal = models.JSONField(default=dict, blank=True)  # the coordinator's edited version
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    based_on = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("started from"),
    )

    class Meta:
        verbose_name = _("grouping round")
        verbose_name_plural = _("grouping rounds")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_editable(self):
        return self.status == self.Status.PROPOSED

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class GroupingRun(models.Model):
    """One run of the engine for a round (the first and every re-run), kept with its inputs, the
    engine's result and the proposal as the coordinator left it, so two runs can be compared
    later."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to run")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")
        COPIED = "copied", _("copied from an earlier round")

    round = models.ForeignKey(GroupingRound, models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(_("run"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    inputs = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    proposal = models.JSONField(default=dict, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the background job (django-tasks result id), the worker's last sign of life, and how often
    # a worker took it up: a run whose worker died is queued again once, then marked failed
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("engine run")
        verbose_name_plural = _("engine runs")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="unique_run_number")
        ]

    def __str__(self):
        return f"{self.round_id} #{self.number}"


class Participant(models.Model):
    """A municipality taking part in a round, with its learning profile as it was then."""

    round = models.ForeignKey(GroupingRound, models.CASCADE, related_name="participants")
    municipality = models.ForeignKey("registry.Municipality", models.CASCADE, related_name="+")
    profile = models.ForeignKey(
        "assessment.LearningProfile", models.SET_NULL, null=True, related_name="+"
    )
    needs = models.JSONField(default=dict)
    strengths = models.JSONField(default=dict)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="unique_participant")
        ]

    def __str__(self):
        return f"{self.municipality_id} in {self.round_id}"


class Network(AuditedModel):
    round = models.ForeignKey(GroupingRound, models.PROTECT, related_name="networks")
    area = models.CharField(_("area"), max_length=40)
    host = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="hosted_networks",
        verbose_name=_("host"),
    )
    title = models.CharField(_("title"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    # Rule: a municipality may change its answer until the coordinator confirms the network; then it
    # is final.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thematic network")
        verbose_name_plural = _("thematic networks")
        ordering = ["area", "id"]

    def __str__(self):
        return self.title


class Response(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class NetworkMembership(AuditedModel):
    network = models.ForeignKey(Network, models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        "registry.Municipality", models.CASCADE, related_name="network_memberships"
    )
    need = models.FloatField(default=0)
    distance_km = models.FloatField(default=0)
    status = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.INVITED
    )
    reason = models.TextField(_("reason"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality"], name="unique_network_member"
            )
        ]

    def __str__(self):
        return f"{self.municipality} – {self.network}"


class Partnership(AuditedModel):
    round = models.ForeignKey(GroupingRound, models.PROTECT, related_name="partnerships")
    area = models.CharField(_("area"), max_length=40)
    learner = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="partnerships_as_learner",
        verbose_name=_("learner"),
    )
    mentor = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="partnerships_as_mentor",
        verbose_name=_("mentor"),
    )
    learner_status = models.CharField(
        max_length=10, choices=Response.choices, default=Response.INVITED
    )
    mentor_status = models.CharField(
        max_length=10, choices=Response.choices, default=Response.INVITED
    )
    learner_reason = models.TextField(blank=True)
    mentor_reason = models.TextField(blank=True)
    learner_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    learner_responded_at = models.DateTimeField(null=True, blank=True)
    mentor_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentor_responded_at = models.DateTimeField(null=True, blank=True)
    # As for networks: answers may change until the coordinator confirms the partnership.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_scope_field = "learner_id"

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return f"{self.learner} ← {self.mentor} ({self.area})"

    @property
    def is_confirmed(self):
        return self.learner_status == Response.ACCEPTED and self.mentor_status == Response.ACCEPTED

    @property
    def is_declined(self):
        return Response.DECLINED in (self.learner_status, self.mentor_status)
