"""What every endpoint of the API does the same way (public and private alike).

- **Errors** are JSON, always the `Error` shape: `{"code": ..., "detail": ..., "errors": [...]}`;
  a validation error names each field (`errors[].field`, and where it was: `query`, `path`,
  `body`). The handlers are installed on the `NinjaAPI` by `install_error_handlers`; what ninja
  answers outside an endpoint (a wrong method, an oversized body, a path under /api/ that matches
  nothing) is turned into the same shape by `json_errors`.
- **Pagination** is by page number: `page` (from 1) and `page_size` (default `DEFAULT_PAGE_SIZE`,
  at most `MAX_PAGE_SIZE`); a page size out of range is a 422 naming `page_size`, never silently
  clamped, so a client learns the limit. `paginate()` returns the `Page[...]` envelope.
- **Bodies** are refused above `max_body_bytes()`; body schemas inherit `BodySchema`, which
  refuses unknown fields.
- **Rate limits**: `ApiRateLimit`, per token (when the private API's auth has put the token on
  `request.api_token`) or else per client address (`core/ratelimit.py`: a keyed hash, in the
  cache only); 429 with Retry-After.
- **ETag**: `with_etag()` puts a strong ETag (a hash of the request's language and the body) on
  every successful GET, with `Vary: Accept-Language, Authorization`, and answers 304 to a
  matching If-None-Match; the API class calls it for every response.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import threading
import time
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotModified,
    JsonResponse,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import ConfigDict

from mreza.core.ratelimit import client_address, over_limit

logger = logging.getLogger("django.request")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: beyond this a page number is a mistake (and an OFFSET nobody wants to run)
MAX_PAGE = 100_000

T = TypeVar("T")

# --------------------------------------------------------------------------- schemas


class FieldError(Schema):
    field: str = Field(description="The field, dotted for nested ones (e.g. `page_size`).")
    location: str = Field(description="Where it was: `query`, `path`, `body` or `header`.")
    message: str


class Error(Schema):
    """Every error of the API."""

    code: str = Field(description="Stable, for programs: `not_found`, `validation`, ...")
    detail: str = Field(description="For people, in the request's language.")
    errors: list[FieldError] = Field(default_factory=list)


class BodySchema(Schema):
    """The base of every request body: an unknown field is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class PageParams(Schema):
    """Query parameters of every list (use as `params: Query[PageParams]`)."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Rows per page (1 to {MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}).",
    )


class Page(Schema, Generic[T]):
    """One page of a list."""

    count: int = Field(description="Rows in the whole list (all pages).")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages (0 for an empty list).")
    next: str | None = Field(description="Address of the next page, or null.")
    previous: str | None = Field(description="Address of the previous page, or null.")
    results: list[T]


# Responses every operation may give besides its own (added to the schema by the API class).
COMMON_RESPONSES = {
    "304": "Not modified: the `ETag` given in `If-None-Match` is still current (GET only).",
    "404": "Not found, or not visible to the caller.",
    "413": "Request body too large.",
    "422": "Invalid parameters or body; `errors` names each field.",
    "429": "Too many requests; wait the seconds in `Retry-After`.",
    "500": "Server error.",
}


def complete_schema(schema: dict) -> None:
    """Add to every operation of the OpenAPI schema the responses of `COMMON_RESPONSES` it may
    give (the error shape included), so that clients and schemathesis know them; and put
    parameter examples the way OpenAPI reads them."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error.pop("$defs", {}))
    components["Error"] = error
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                # ninja copies a field's JSON-schema `examples` (a list) onto the parameter,
                # where OpenAPI wants a map of Example objects: say it as the one `example`
                examples = parameter.pop("examples", None)
                if isinstance(examples, list) and examples:
                    parameter["example"] = examples[0]
            # ninja keys its responses by int, JSON by text: one key each, or the JSON has twins
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in COMMON_RESPONSES.items():
                if status == "304" and method != "get":
                    continue
                if status == "422" and not (
                    operation.get("parameters") or operation.get("requestBody")
                ):
                    continue
                entry: dict[str, object] = {"description": description}
                if status != "304":
                    entry["content"] = body
                responses.setdefault(status, entry)


# --------------------------------------------------------------------------- pagination


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


def paginate(request: HttpRequest, rows: Any, params: PageParams, serialize=None) -> dict:
    """The `Page` envelope for `params.page` of `rows` (a queryset, ordered; or a list): one
    COUNT and one SELECT whatever the list's length. `serialize(row)` maps each row if given."""
    count = rows.count() if hasattr(rows, "model") else len(rows)
    start = (params.page - 1) * params.page_size
    chunk = list(rows[start : start + params.page_size]) if start < count else []
    pages = math.ceil(count / params.page_size)
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": pages,
        "next": _page_link(request, params.page + 1) if params.page < pages else None,
        "previous": (
            _page_link(request, min(params.page - 1, pages)) if params.page > 1 and pages else None
        ),
        "results": [serialize(row) for row in chunk] if serialize else chunk,
    }


# --------------------------------------------------------------------------- errors


def error_body(code: str, detail: str, errors: list[dict] | None = None) -> dict:
    return {"code": code, "detail": str(detail), "errors": errors or []}


def error_response(
    status: int, code: str, detail: str, errors: list[dict] | None = None
) -> JsonResponse:
    """A JSON error outside an endpoint (where ninja's handlers do not reach)."""
    return JsonResponse(error_body(code, detail, errors), status=status)


def field_errors(exc: ValidationError) -> list[dict]:
    """Ninja's pydantic errors as `FieldError`s: the field, where, what."""
    result = []
    for error in exc.errors:
        location, *path = [str(part) for part in error.get("loc", ())] or ["body"]
        result.append(
            {
                "field": ".".join(path) or location,
                "location": location,
                "message": str(error.get("msg", "")),
            }
        )
    return result


def _validation_detail(errors: list[dict]) -> str:
    names = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return ngettext(
        "This field is not valid: %(fields)s.",
        "These fields are not valid: %(fields)s.",
        len(errors),
    ) % {"fields": names}


def _too_many_detail(wait: int | None) -> str:
    if not wait:
        return _("Too many requests. Try again later.")
    return ngettext(
        "Too many requests. Try again in %(seconds)s second.",
        "Too many requests. Try again in %(seconds)s seconds.",
        wait,
    ) % {"seconds": wait}


def install_error_handlers(api) -> None:
    """Every exception an endpoint may raise becomes a JSON `Error` (never Django's HTML page)."""

    def respond(request, status, body):
        return api.create_response(request, body, status=status)

    def validation(request, exc):
        errors = field_errors(exc)
        return respond(request, 422, error_body("validation", _validation_detail(errors), errors))

    def not_found(request, exc):
        return respond(request, 404, error_body("not_found", _("Not found.")))

    def forbidden(request, exc):
        return respond(
            request, 403, error_body("forbidden", _("You may not do this with this access."))
        )

    def unauthorised(request, exc):
        detail = exc.message if exc.message != "Unauthorized" else _("A valid token is needed.")
        return respond(request, exc.status_code, error_body("unauthorised", detail))

    def throttled(request, exc):
        wait = math.ceil(exc.wait) if exc.wait else None
        response = respond(request, 429, error_body("too_many_requests", _too_many_detail(wait)))
        if wait:
            response["Retry-After"] = str(wait)
        return response

    def http_error(request, exc):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict"}
        code = codes.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, exc.message))

    def too_big(request, exc):
        return respond(request, 413, error_body("too_large", _("The request body is too large.")))

    def server_error(request, exc):
        # as Django logs an unhandled error (the traceback, and the request for mail_admins)
        logger.error(
            "API error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return respond(request, 500, error_body("server_error", _("Something went wrong.")))

    for exc_class, handler in (
        (Exception, server_error),
        (Http404, not_found),
        (PermissionDenied, forbidden),
        (HttpError, http_error),
        (AuthenticationError, unauthorised),
        (Throttled, throttled),
        (ValidationError, validation),
        (RequestDataTooBig, too_big),
    ):
        api.add_exception_handler(exc_class, handler)


def max_body_bytes() -> int:
    """The largest request body accepted (settings.MREZA_API_MAX_BODY, 64 KiB by default)."""
    return getattr(settings, "MREZA_API_MAX_BODY", 64 * 1024)


def json_errors(view):
    """Wrap a URL's view (ninja's, or any under /api/) so that what it answers without an
    endpoint is JSON too (ninja's plain 405, its root's 404, a body over the limit: refused
    before it is read), and every successful GET has its ETag."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_body_bytes():
            return error_response(413, "too_large", _("The request body is too large."))
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's root view, outside its handlers
            return no_route(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, "method_not_allowed", _("Method not allowed."))
            response["Allow"] = allowed
        return with_etag(request, response)

    return wrapper


@csrf_exempt
def no_route(request, *args, **kwargs):
    """Any path under /api/ that matches no endpoint (CSRF-exempt: a POST gets this JSON 404,
    not the HTML page of the CSRF check)."""
    return error_response(404, "not_found", _("There is no such address in the API."))


def _error_handler(status: int, code: str, message, default):
    """A project error handler (`handler400` ... in mreza/urls.py): JSON under /api/, the site's
    page elsewhere. It answers what fails before any API view runs (a NUL byte refused by the
    middleware, a failure in a middleware) and, with DEBUG off, whatever else escapes."""

    def handler(request, *args, **kwargs):
        if request.path.startswith("/api/"):
            return error_response(status, code, message())
        return default(request, *args, **kwargs)

    return handler


handler400 = _error_handler(
    400, "bad_request", lambda: _("The request is not valid."), defaults.bad_request
)
handler403 = _error_handler(
    403, "forbidden", lambda: _("You may not do this with this access."), defaults.permission_denied
)
handler404 = _error_handler(404, "not_found", lambda: _("Not found."), defaults.page_not_found)
handler500 = _error_handler(
    500, "server_error", lambda: _("Something went wrong."), defaults.server_error
)


# --------------------------------------------------------------------------- ETag


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates


def with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A strong ETag on a successful GET (a hash of the body the client would get, and of the
    language it was answered in), and 304 when the client already has it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    # A representation is one language's (its texts, Serbian in one script, its
    # Content-Language): the ETag of the Latin answer must not validate a cached Cyrillic one,
    # even where the two bodies happen to agree (no Serbian text in them).
    language = (translation.get_language() or "").lower().encode()
    digest = hashlib.sha256(language + b"\0" + response.content).hexdigest()[:32]
    etag = f'"{digest}"'
    response["ETag"] = etag
    # the same address answers differently by language (errors, names) and by token
    patch_vary_headers(response, ("Accept-Language", "Authorization"))
    if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Vary", "Cache-Control"):
            if response.has_header(header):
                not_modified[header] = response[header]
        return not_modified
    return response


# --------------------------------------------------------------------------- rate limits


def rate(kind: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) for `anonymous` or `token` callers."""
    defaults = {"anonymous": (120, 60), "token": (600, 60)}
    limits = getattr(settings, "MREZA_API_RATE_LIMITS", {})
    return tuple(limits.get(kind, defaults[kind]))


class ApiRateLimit(BaseThrottle):
    """Requests per window: per token for a token's requests, else per client address."""

    def __init__(self) -> None:
        # ninja asks wait() right after a refusal, on the same thread: remember its window
        self._last = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        kind = "anonymous" if token is None else "token"
        allowed, window = rate(kind)
        self._last.window = window
        if token is not None:
            # a token is its own bucket: its id goes in the scope, no address is involved
            return not over_limit(f"api-token:{token.pk}", None, allowed, window)
        return not over_limit("api-anonymous", client_address(request), allowed, window)

    def wait(self) -> float | None:
        window = getattr(self._last, "window", None) or rate("anonymous")[1]
        return window - (time.time() % window)  # what is left of the fixed window
