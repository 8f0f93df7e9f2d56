import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.core.roles import MunicipalRoleName, OrganisationRoleName


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person; logs in with e-mail. Roles come from MunicipalRole and OrganisationRole."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=20, choices=settings.LANGUAGES, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


class MunicipalRole(AuditedModel):
    Role = MunicipalRoleName  # the names live in core.roles, shared with the access policy

    user = models.ForeignKey(
        User, models.CASCADE, related_name="municipal_roles", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.CASCADE,
        related_name="roles",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("municipal role")
        verbose_name_plural = _("municipal roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="unique_municipal_role"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.municipality}"


class OrganisationRole(AuditedModel):
    Role = OrganisationRoleName

    user = models.ForeignKey(
        User, models.CASCADE, related_name="organisation_roles", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        models.CASCADE,
        related_name="roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_organisation_role"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


def _new_token():
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(AuditedModel):
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    audit_scope_field = "municipality_id"
    # the token is the invitation's password: it never enters the audit trail
    audit_exclude = frozenset({"token"})

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=False)
                ^ models.Q(organisation__isnull=False),
                name="invitation_to_exactly_one_place",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.municipality or self.organisation}"

    @property
    def place(self):
        return self.municipality or self.organisation

    @property
    def is_open(self):
        return self.accepted_at is None and self.expires_at > timezone.now()

    def role_label(self):
        choices = dict(
            MunicipalRole.Role.choices if self.municipality_id else OrganisationRole.Role.choices
        )
        return choices.get(self.role, self.role)

    def accept(self, user):
        """Grant the role to `user` and close the invitation."""
        if self.municipality_id:
            MunicipalRole.objects.get_or_create(
                user=user, municipality_id=self.municipality_id, role=self.role
            )
        else:
            OrganisationRole.objects.get_or_create(
                user=user, organisation_id=self.organisation_id, role=self.role
            )
            if self.role == OrganisationRole.Role.PLATFORM_ADMIN and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        self.accepted_at = timezone.now()
        self.accepted_by = user
        self.save(update_fields=["accepted_at", "accepted_by"])
