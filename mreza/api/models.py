"""Personal access tokens for the private API.

A token acts as its user: whatever the access policy lets that user see or do, the token may (a
read-only token only reads). Only a SHA-256 hash of the secret is stored; the full token is shown
once, when it is made.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel

TOKEN_SCHEME = "mrz"  # noqa: S105  (the tokens' visible marker, not a secret)
PREFIX_CHARS = 8
SECRET_BYTES = 32


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_prefix() -> str:
    # hex, so the prefix never contains the "_" that separates the parts of a token
    return secrets.token_hex(PREFIX_CHARS // 2)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def format_token(prefix: str, secret: str) -> str:
    return f"{TOKEN_SCHEME}_{prefix}_{secret}"


def parse_token(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a token as typed, or None when it is not shaped like one."""
    scheme, _sep, rest = text.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if scheme != TOKEN_SCHEME or len(prefix) != PREFIX_CHARS or not secret:
        return None
    if len(secret) > 2 * SECRET_BYTES:
        return None
    return prefix, secret


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Not revoked and not expired at `now`."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(AuditedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_CHARS, unique=True, editable=False)
    # SHA-256 of the secret, hex; the secret itself is never stored
    hash = models.CharField(max_length=64, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    # the hash would let anyone with the audit log test guesses offline
    audit_exclude = frozenset({"hash"})

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({TOKEN_SCHEME}_{self.prefix})"

    @property
    def shown_prefix(self) -> str:
        return f"{TOKEN_SCHEME}_{self.prefix}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def last_day(self):
        """The last day the token works (its expiry is the midnight after it), in local time."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
