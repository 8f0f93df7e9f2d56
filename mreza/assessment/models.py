from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.core.roles import GroupRoleName
from mreza.core.texts import localized


class Framework(AuditedModel):
    """An assessment framework file as loaded; immutable once an assessment uses it."""

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name = models.JSONField(_("name"))
    data = models.JSONField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]

    def __str__(self):
        return f"{localized(self.name)} ({self.version})"

    @property
    def methods(self):
        return self.data["scoring_methods"]

    def panel(self, code):
        return next(p for p in self.data["panels"] if p["code"] == code)


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    title = models.JSONField()
    description = models.JSONField(default=dict)

    class Meta:
        ordering = ["framework", "position"]

    def __str__(self):
        return f"{self.code} {localized(self.title)}"


class Subcriterion(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="subcriteria")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="subcriteria")
    code = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    title = models.JSONField()
    description = models.JSONField(default=dict)
    examples = models.JSONField(default=list)
    panels = models.JSONField(default=dict)  # scoring method -> panel code

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_subcriterion_code")
        ]

    def __str__(self):
        return f"{self.code} {localized(self.title)}"

    def panel_for(self, method):
        return self.framework.panel(self.panels[method])


class Assessment(AuditedModel):
    class Status(models.TextChoices):
        SCORING = "scoring", _("individual scoring")
        CONSENSUS = "consensus", _("consensus")
        CLOSED = "closed", _("closed, report ready")
        ACCEPTED = "accepted", _("accepted by management")

    class Method(models.TextChoices):
        CLASSIC = "classic", _("classic scoring")
        FINE_TUNED = "fine_tuned", _("fine-tuned scoring")
        MATURITY = "maturity", _("maturity levels")

    municipality = models.ForeignKey(
        "registry.Municipality",
        models.CASCADE,
        related_name="assessments",
        verbose_name=_("municipality"),
    )
    framework = models.ForeignKey(
        Framework, models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    method = models.CharField(_("scoring method"), max_length=20, choices=Method.choices)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCORING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    # A short re-assessment (self-evaluation of a network's areas) lists its subcriterion codes;
    # empty means the whole framework, as every first assessment.
    scope = models.JSONField(_("subcriteria assessed"), default=list, blank=True)
    baseline = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reassessments",
        verbose_name=_("compared with"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-period_end", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open_for_scoring(self):
        return self.status == self.Status.SCORING

    @property
    def is_scoped(self):
        return bool(self.scope)

    def clean(self):
        errors = {}
        if not isinstance(self.scope, list) or not all(isinstance(c, str) for c in self.scope):
            errors["scope"] = _("List the subcriteria by their codes.")
        elif self.scope and self.framework_id:
            known = set(
                Subcriterion.objects.filter(framework_id=self.framework_id).values_list(
                    "code", flat=True
                )
            )
            unknown = [code for code in self.scope if code not in known]
            if unknown:
                errors["scope"] = ValidationError(
                    _("The framework has no subcriterion %(codes)s."),
                    params={"codes": ", ".join(unknown)},
                    code="unknown_subcriterion",
                )
        if self.baseline_id:
            errors.update(self._baseline_errors())
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("The period must end after it starts.")
        if errors:
            raise ValidationError(errors)

    def _baseline_errors(self):
        baseline = self.baseline
        if baseline.pk == self.pk:
            return {"baseline": _("An assessment cannot be compared with itself.")}
        if baseline.municipality_id != self.municipality_id:
            return {"baseline": _("The assessment compared with must be of the same municipality.")}
        if baseline.framework_id != self.framework_id:
            return {
                "baseline": _(
                    "The assessment compared with must use the same framework and version."
                )
            }
        outside = [code for code in self.scope if baseline.scope and code not in baseline.scope]
        if outside:
            return {
                "scope": ValidationError(
                    _("The assessment compared with did not assess %(codes)s."),
                    params={"codes": ", ".join(outside)},
                    code="not_in_baseline",
                )
            }
        return {}

    def previous(self):
        """The municipality's last accepted whole-framework assessment of the same framework
        before this one (a re-assessment of some subcriteria is no full picture to compare
        with)."""
        return (
            Assessment.objects.filter(
                municipality_id=self.municipality_id,
                framework__code=self.framework.code,
                status=Assessment.Status.ACCEPTED,
                period_end__lt=self.period_end,
                scope=[],
            )
            .exclude(pk=self.pk)
            .select_related("framework")
            .order_by("-period_end")
            .first()
        )


class GroupMember(AuditedModel):
    Role = GroupRoleName  # core.roles, shared with the access policy

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="members", verbose_name=_("self-assessment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="assessment_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in the group"), max_length=20, choices=Role.choices)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-assessment group member")
        verbose_name_plural = _("self-assessment group")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="unique_group_member")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def audit_scope(self):
        return (
            Assessment.objects.filter(pk=self.assessment_id)
            .values_list("municipality_id", flat=True)
            .first()
        )


class ScoredText(AuditedModel):
    """What an assessor (Entry) or the group (Consensus) says about one subcriterion."""

    score = models.FloatField(_("score"), null=True, blank=True)
    dimensions = models.JSONField(_("scores per dimension"), default=dict, blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    improvements = models.TextField(_("areas for improvement"), blank=True)
    ideas = models.TextField(_("improvement ideas"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def audit_scope(self):
        return (
            Assessment.objects.filter(pk=self.assessment_id)
            .values_list("municipality_id", flat=True)
            .first()
        )


class Entry(ScoredText):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="entries", verbose_name=_("self-assessment")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="assessment_entries",
        verbose_name=_("assessor"),
    )
    subcriterion = models.ForeignKey(
        Subcriterion, models.PROTECT, related_name="+", verbose_name=_("subcriterion")
    )
    dont_know = models.BooleanField(_("don't know"), default=False)
    evidence = models.TextField(_("evidence (links, one per line)"), blank=True)

    class Meta:
        verbose_name = _("individual score")
        verbose_name_plural = _("individual scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "assessor", "subcriterion"], name="unique_entry"
            )
        ]

    def __str__(self):
        return f"{self.subcriterion.code} – {self.assessor}"

    @property
    def is_answered(self):
        return self.dont_know or self.score is not None


class EvidenceFile(AuditedModel):
    entry = models.ForeignKey(
        Entry, models.CASCADE, related_name="files", verbose_name=_("individual score")
    )
    # stored under MEDIA_ROOT, which is never published: served only by the evidence_file view
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name

    def audit_scope(self):
        return (
            Assessment.objects.filter(entries__files=self)
            .values_list("municipality_id", flat=True)
            .first()
        )


class Consensus(ScoredText):
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="consensus", verbose_name=_("self-assessment")
    )
    subcriterion = models.ForeignKey(
        Subcriterion, models.PROTECT, related_name="+", verbose_name=_("subcriterion")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "subcriterion"], name="unique_consensus")
        ]

    def __str__(self):
        return f"{self.subcriterion.code}: {self.score}"


class ImprovementAction(AuditedModel):
    class Status(models.TextChoices):
        PLAN = "plan", _("Plan")
        DO = "do", _("Do")
        CHECK = "check", _("Check")
        ACT = "act", _("Act")
        DONE = "done", _("Done")

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="actions", verbose_name=_("self-assessment")
    )
    subcriterion = models.ForeignKey(
        Subcriterion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subcriterion"),
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    deadline = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"))
    indicator = models.CharField(_("indicator"), max_length=300)
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feasibility = models.PositiveSmallIntegerField(
        _("feasibility (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(
        _("PDCA status"), max_length=10, choices=Status.choices, default=Status.PLAN
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement plan")
        ordering = ["assessment", "deadline", "id"]

    def __str__(self):
        return self.title

    @property
    def priority(self):
        return self.impact * self.feasibility

    def audit_scope(self):
        return (
            Assessment.objects.filter(pk=self.assessment_id)
            .values_list("municipality_id", flat=True)
            .first()
        )


class LearningProfile(AuditedModel):
    """What a municipality seeks to learn and can offer, from an accepted assessment; shared by
    choice."""

    class Sharing(models.TextChoices):
        PRIVATE = "private", _("private to the municipality")
        COORDINATORS = (
            "coordinators",
            _("shared with the network coordinators of the municipality's associations"),
        )
        PUBLIC = "public", _("public")

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="profile", verbose_name=_("self-assessment")
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.CASCADE,
        related_name="learning_profiles",
        verbose_name=_("municipality"),
    )
    sharing = models.CharField(
        _("sharing"), max_length=20, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    needs = models.JSONField(_("areas to learn in"), default=dict)  # area code -> weight 0..1
    strengths = models.JSONField(_("areas to offer"), default=dict)  # area code -> weight 0..1
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("learning profile")
        verbose_name_plural = _("learning profiles")

    def __str__(self):
        return f"{self.municipality} – {self.assessment}"
