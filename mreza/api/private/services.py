"""State changes of API tokens: issue (the full token returned once) and revoke, both audited
through the model (AuditedModel). The last use is noted by `mreza.api.auth`, which checks tokens."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from mreza.api.models import (
    ApiToken,
    format_token,
    hash_secret,
    new_prefix,
    new_secret,
)

MAX_LIFETIME_DAYS = 366
# a user with more tokens than this has lost track of them; the form says so
MAX_TOKENS_PER_USER = 50
_PREFIX_ATTEMPTS = 5


def expiry_from_date(day: datetime.date | None) -> datetime.datetime | None:
    """A token chosen to expire on `day` works through that whole day (the site's time zone)."""
    if day is None:
        return None
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(next_day)


def issue_token(
    user, name: str, *, read_only: bool, expires_on: datetime.date | None
) -> tuple[ApiToken, str]:
    """A new token of `user` and its full text (shown once, then only its hash is left)."""
    secret = new_secret()
    for attempt in range(_PREFIX_ATTEMPTS):
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=new_prefix(),
                    hash=hash_secret(secret),
                    read_only=read_only,
                    expires_at=expiry_from_date(expires_on),
                )
        except IntegrityError:
            # two tokens drew the same 8-character prefix (1 in 4 billion): draw again
            if attempt == _PREFIX_ATTEMPTS - 1:
                raise
            continue
        return token, format_token(token.prefix, secret)
    raise AssertionError("unreachable")


def revoke_token(token: ApiToken) -> ApiToken:
    """Revoked for good (a revoked token is not restored: make a new one)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
