"""The workspace of a network, a partnership or a twinning: who is in it, who coordinates, its
phases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mreza.core.audit import AuditedModel


class Workspace(AuditedModel):
    """Where a network (or a partnership, or a twinning) does its work after grouping.

    A network's and a partnership's workspace is opened from step 2 (`services.workspace_for`);
    a twinning's is created with its agreement. Everything of step 3 hangs off a workspace.
    """

    class Kind(models.TextChoices):
        NETWORK = "network", _("thematic network")
        PARTNERSHIP = "partnership", _("partnership")
        TWINNING = "twinning", _("twinning")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    network = models.OneToOneField(
        "networks.Network", models.PROTECT, null=True, blank=True, related_name="workspace"
    )
    partnership = models.OneToOneField(
        "networks.Partnership", models.PROTECT, null=True, blank=True, related_name="workspace"
    )
    # The coordinating organisation (a network's or partnership's round); twinnings have none and
    # are run by their municipalities' coordinators.
    organisation = models.ForeignKey(
        "registry.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="workspaces",
        verbose_name=_("coordinating organisation"),
    )
    framework = models.ForeignKey(
        "assessment.Framework",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("framework"),
    )
    # a framework subcriterion code ("6.1"); shown by its name in the reader's language
    area = models.CharField(_("area"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_workspaces",
        verbose_name=_("coordinator"),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    # A network may publish its plan and progress: anonymous visitors then see those pages only.
    is_published = models.BooleanField(_("plan and progress are public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_container_field = "pk"

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["title", "id"]
        constraints = [
            # a network's workspace comes from step 2 or is made by hand (no Network row);
            # a partnership's always comes from step 2; a twinning's from its agreement
            models.CheckConstraint(
                condition=models.Q(network__isnull=True)
                | models.Q(kind="network", partnership__isnull=True),
                name="workspace_network_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=True)
                | models.Q(kind="partnership", network__isnull=True),
                name="workspace_partnership_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="workspace_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.title


class WorkspaceMember(AuditedModel):
    """A municipality in a workspace, or a partner abroad that is not in the registry (twinning)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        HOST = "host", _("host")
        LEARNER = "learner", _("learner")
        MENTOR = "mentor", pgettext_lazy("municipality", "mentor")
        PARTNER = "partner", _("partner")

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="members")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="workspace_memberships",
        verbose_name=_("municipality"),
    )
    # a partner abroad, not in the registry
    foreign_name = models.CharField(_("name of the partner abroad"), max_length=200, blank=True)
    foreign_country = models.CharField(_("country"), max_length=100, blank=True)
    foreign_contact = models.CharField(_("contact"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    audit_scope_field = "municipality_id"

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("workspace member")
        verbose_name_plural = _("workspace members")
        ordering = ["workspace", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "municipality"], name="unique_workspace_member"
            ),
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=False) | ~models.Q(foreign_name=""),
                name="workspace_member_named",
            ),
        ]

    def __str__(self):
        return str(self.municipality) if self.municipality_id else self.foreign_name

    @property
    def is_abroad(self):
        return self.municipality_id is None


class Phase(AuditedModel):
    """A stage of the workspace's timeline (e.g. "diagnosis", "plan", "implementation",
    "evaluation")."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    order = models.PositiveSmallIntegerField(default=0)

    audit_container_field = "workspace_id"

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["workspace", "starts_on", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name
