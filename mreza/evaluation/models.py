"""Step 4, self-evaluation: a workspace's evaluation (each member's goal-by-goal results, a
re-assessment of the network's areas compared with the baseline, lessons learned) and the
recognition that follows (best results, most improved), with certificates anyone can verify."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel


class Evaluation(AuditedModel):
    """An evaluation of a workspace's cycle (at its end, or at any time: mid-term)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open: members evaluate")
        CLOSED = "closed", _("closed")

    workspace = models.ForeignKey("progress.Workspace", models.CASCADE, related_name="evaluations")
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # the members evaluate by this day (shown, reminded; not enforced)
    due_on = models.DateField(_("due"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # the report (and the recognition) is public once published
    is_published = models.BooleanField(_("report is public"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["workspace", "-opened_at", "id"]

    def __str__(self):
        return self.title


class MemberEvaluation(AuditedModel):
    """One member municipality's part of an evaluation."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="members")
    member = models.ForeignKey(
        "progress.WorkspaceMember",
        models.CASCADE,
        related_name="evaluations",
        verbose_name=_("member"),
    )
    # the short re-assessment of the network's area(s), compared with its baseline
    reassessment = models.ForeignKey(
        "assessment.Assessment",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-assessment"),
    )
    activities_summary = models.TextField(_("what we did"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    keep_doing = models.TextField(_("what we will keep doing"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "scope_municipality_id"
    audit_container_field = "evaluation.workspace_id"

    class Meta:
        verbose_name = _("member's evaluation")
        verbose_name_plural = _("members' evaluations")
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "member"], name="unique_member_evaluation"
            )
        ]

    def __str__(self):
        return f"{self.evaluation} — {self.member}"

    @property
    def scope_municipality_id(self):
        return self.member.municipality_id


class GoalResult(AuditedModel):
    """A member's judgement of one goal: target against what was reached."""

    class Rating(models.TextChoices):
        MET = "met", _("met")
        PARTLY = "partly", _("partly met")
        NOT_MET = "not_met", _("not met")
        NOT_STARTED = "not_started", _("not started")

    member_evaluation = models.ForeignKey(
        MemberEvaluation, models.CASCADE, related_name="goal_results"
    )
    goal = models.ForeignKey("progress.Goal", models.CASCADE, related_name="+")
    rating = models.CharField(_("result"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "member_evaluation.evaluation.workspace_id"

    class Meta:
        verbose_name = _("goal result")
        verbose_name_plural = _("goal results")
        ordering = ["member_evaluation", "goal__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member_evaluation", "goal"], name="unique_goal_result")
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.rating}"


class Certificate(AuditedModel):
    """A recognition of a municipality's result in an evaluation, as a PDF with a verification code.
    The code is random; the page /verify/<code>/ also checks its signature (`signature`, an HMAC
    of the code and what the certificate states, keyed with the site's secret), so a forged or
    altered certificate fails."""

    class Kind(models.TextChoices):
        BEST_RESULT = "best_result", _("best result")
        MOST_IMPROVED = "most_improved", _("most improved")
        PARTICIPATION = "participation", _("participation")

    evaluation = models.ForeignKey(Evaluation, models.PROTECT, related_name="certificates")
    municipality = models.ForeignKey(
        "registry.Municipality", models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("recognition"), max_length=20, choices=Kind.choices)
    # what the certificate states, frozen when issued: {"score": 3.9, "delta": 0.8, "area": ...}
    statement = models.JSONField(default=dict)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    signature = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    audit_scope_field = "municipality_id"
    audit_container_field = "evaluation.workspace_id"

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["evaluation", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "municipality", "kind"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_certificate_per_kind",
            )
        ]

    def __str__(self):
        return self.code
