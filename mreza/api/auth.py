"""Authentication of the private API: `Authorization: Bearer mrz_<prefix>_<secret>`.

The request then acts as the token's user (`request.user`), so the access policy decides
everything exactly as it does for that user's pages (`roles_of(user)`); the token itself is on
`request.api_token` (the rate limit counts per token) and `request.auth`. A missing, malformed,
unknown, revoked or expired token is a 401 (all alike: the answer tells nothing about which); a
read-only token on anything but a read is a 403. Both are JSON (the API's error handlers).
"""

import datetime
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from mreza.api.models import ApiToken, hash_secret, parse_token

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORBIDDEN = 403
LAST_USED_EVERY = datetime.timedelta(minutes=1)
# compared against when the prefix is unknown, so an unknown prefix costs the same time
_NO_HASH = hash_secret("")


def find_token(text: str) -> ApiToken | None:
    """The usable token `text` names, with its user loaded, or None (malformed, unknown, wrong
    secret, revoked, expired, or its user deactivated)."""
    parsed = parse_token(text)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    stored = token.hash if token is not None else _NO_HASH
    if not secrets.compare_digest(stored, hash_secret(secret)) or token is None:
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Bookkeeping, at most once a minute and with a plain UPDATE (no audit entry): an entry per
    minute of use would bury the entries that matter."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class TokenAuth(HttpBearer):
    """A personal API token made in the account settings (/account/api-tokens/)."""

    def authenticate(self, request, token):
        found = find_token(token.strip())
        if found is None:
            raise AuthenticationError(
                message=_("This token is not valid: it is unknown, revoked or expired.")
            )
        if found.read_only and request.method not in READ_METHODS:
            raise HttpError(
                FORBIDDEN, _("This token is read-only: it may read, but not change anything.")
            )
        note_use(found)
        request.user = found.user
        request.api_token = found
        return found


token_auth = TokenAuth()
