"""Learning between members: peer and study visits, twinning agreements, staff exchanges and
internships, mentoring pairs, and the practices one municipality took over from another."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.progress.models.workspace import Workspace, WorkspaceMember


class Visit(AuditedModel):
    class Kind(models.TextChoices):
        PEER = "peer", _("peer visit")
        STUDY = "study", _("study visit")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PEER)
    host = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="hosted_visits", verbose_name=_("host")
    )
    visitors = models.ManyToManyField(
        WorkspaceMember, related_name="visits_made", verbose_name=_("visiting members")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    participants = models.TextField(_("who took part"), blank=True)
    learned = models.TextField(_("what was learned"), blank=True)
    to_adopt = models.TextField(_("what will be adopted"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["workspace", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="visit_dates_in_order",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on}"


class TwinningAgreement(AuditedModel):
    """The agreement behind a twinning workspace (two members, one possibly abroad)."""

    workspace = models.OneToOneField(Workspace, models.CASCADE, related_name="agreement")
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    signatories = models.TextField(_("signatories"))
    work_plan = models.TextField(_("work plan"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("twinning agreement")
        verbose_name_plural = _("twinning agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_dates_in_order",
            )
        ]

    def __str__(self):
        return str(self.workspace)


class StaffExchange(AuditedModel):
    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("staff exchange")
        INTERNSHIP = "internship", _("internship")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="staff_exchanges")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EXCHANGE)
    person_name = models.CharField(_("who"), max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("from")
    )
    host = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("where")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    results = models.TextField(_("results"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("staff exchange")
        verbose_name_plural = _("staff exchanges")
        ordering = ["workspace", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="exchange_dates_in_order",
            )
        ]

    def __str__(self):
        return self.person_name


class MentoringPair(AuditedModel):
    """One specialist mentoring another (people, not municipalities)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        STOPPED = "stopped", _("stopped")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="mentoring_pairs")
    mentor_name = models.CharField(_("mentor"), max_length=200)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentor_member = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("mentor's municipality")
    )
    mentee_name = models.CharField(_("mentee"), max_length=200)
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentee_member = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("mentee's municipality")
    )
    topic = models.CharField(_("topic"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    outcome = models.TextField(_("outcome"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        ordering = ["workspace", "-starts_on"]

    def __str__(self):
        return f"{self.mentor_name} → {self.mentee_name}"


class MentoringSession(AuditedModel):
    pair = models.ForeignKey(MentoringPair, models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "pair.workspace_id"

    class Meta:
        verbose_name = _("mentoring meeting")
        verbose_name_plural = _("mentoring meetings")
        ordering = ["pair", "held_on"]

    def __str__(self):
        return f"{self.pair_id} {self.held_on}"


class TransferredPractice(AuditedModel):
    """A practice one member took over from another: the record that later feeds the practice
    library."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="transferred_practices")
    title = models.CharField(_("practice"), max_length=300)
    description = models.TextField(_("what was taken over"))
    source = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("taken over from")
    )
    adopter = models.ForeignKey(
        WorkspaceMember, models.PROTECT, related_name="+", verbose_name=_("taken over by")
    )
    adopted_on = models.DateField(_("when"))
    responsible = models.CharField(_("by whom"), max_length=200, blank=True)
    result = models.TextField(_("result"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("transferred practice")
        verbose_name_plural = _("transferred practices")
        ordering = ["workspace", "-adopted_on"]

    def __str__(self):
        return self.title
