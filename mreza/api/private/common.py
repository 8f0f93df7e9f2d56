"""What every router of the private API shares: the token auth, the documented error answers,
the actor of a write, and the lookup of an object the policy decides on."""

from contextlib import contextmanager

from ninja import Router

from mreza.api.auth import token_auth
from mreza.api.conventions import Error
from mreza.core import access
from mreza.core.audit import acting_as
from mreza.core.conflicts import CONFLICT

# the answers of the private operations on top of their own and of conventions.COMMON_RESPONSES
# (404, 422... which the API adds to every operation): 401 without a valid token; on a write, 403
# for a read-only token or a permission the user lacks, and 409 for a stale version
READ_ERRORS = {401: Error}
WRITE_ERRORS = {401: Error, 403: Error, int(CONFLICT): Error}


def router(tag: str) -> Router:
    return Router(auth=token_auth, tags=[tag])


def get_visible(request, queryset, perm=access.Perm.VIEW, **lookup):
    """The object the token's user may see (404 otherwise) and do `perm` on (403 otherwise):
    `access.get_or_deny`, whose refusals the API's handlers answer as JSON."""
    return access.get_or_deny(request.user, perm, queryset, **lookup)


@contextmanager
def writing_as_token_user(request):
    """A write made through a token is the token's user's, in the audit trail too. The audit
    middleware set the actor before the token was read (the session's user: anonymous), so a
    write endpoint sets it again for its service call, naming the token it came through."""
    user, token = request.user, request.api_token
    with acting_as(user, f"{user.get_username()} (API token {token.shown_prefix})"):
        yield
