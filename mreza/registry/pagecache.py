"""Whole public pages kept rendered for anonymous first-time visitors.

A public page (the home page, the directory, the map, the events list, the practice library) is
the same for every anonymous reader of a language, until the rows it shows change. `public_page`
keeps the view's rendered response under the version of each cache scope it names (the versions
of `registry.choices`, which the apps' signals bump on change), the reader's language and the
query parameters the view says are bounded, and serves it again without running the view.

Only what is the same for everyone is served from it. A request takes the cached copy only when
it is a plain GET of an anonymous visitor with no session and no pending messages (no session or
messages cookie: a signed-out person's notice, a form's errors are never in it), not an htmx
fragment request, and the view's `key` accepts its query string. The CSRF token, the one part
that differs per visitor, is rendered as a placeholder (`csrf_placeholder` context processor) and
filled in on every response, so each visitor gets a token of their own and its cookie.

Why not Django's cache middleware: it keys on the URL and the cookies and expires by time; this
is invalidated by the data (a change shows at once) and never serves anything user-specific.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from mreza.registry import choices

#: what the page carries instead of the CSRF token while it is rendered for the cache
PLACEHOLDER = "mreza-csrf-token-placeholder-3f9a1c"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
#: how many of a list's first pages are kept (a bounded set; deeper pages are rendered)
FIRST_PAGES = 10


class _NotStored(Exception):
    """The rendered response is not for the cache (an error, a redirect, a cookie of its own)."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def no_query(request: HttpRequest) -> tuple | None:
    """The default key: only the page without a query string is kept."""
    return () if not request.GET else None


def only_params(request: HttpRequest, allowed: set[str]) -> bool:
    """The query string names only `allowed` parameters, each once."""
    return set(request.GET) <= allowed and all(len(v) == 1 for _name, v in request.GET.lists())


def first_page(request: HttpRequest) -> str | None:
    """The `page` asked for if it is one of the FIRST_PAGES, written plainly ("" for none; "01",
    "x" or a deep page: None, rendered as usual)."""
    page = request.GET.get("page", "")
    if not page:
        return ""
    plain = page.isascii() and page.isdigit() and str(int(page)) == page
    return page if plain and 1 <= int(page) <= FIRST_PAGES else None


def first_pages(request: HttpRequest) -> tuple | None:
    """A key for a list: only `?page=` with one of its first pages."""
    page = first_page(request) if only_params(request, {"page"}) else None
    return None if page is None else (page,)


def _anonymous_first_visit(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HX-Request" not in request.headers
        and not request.user.is_authenticated
    )


def public_page(*scopes: str, key: Callable[[HttpRequest], tuple | None] = no_query):
    """Keep the view's page for anonymous first-time visitors until a version of `scopes`
    changes. `key(request)` gives the parts of the query string that pick the page (values from a
    bounded set), or None to render this request as usual (free text, an unknown page number)."""
    if not scopes:
        raise ValueError("a public page names the cache scopes its content follows")

    def decorator(view):
        name = f"page:{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            parts = key(request) if _anonymous_first_visit(request) else None
            if parts is None:
                return view(request, *args, **kwargs)

            def render():
                request.csrf_placeholder = True
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    del request.csrf_placeholder
                if response.status_code != 200 or response.streaming or response.cookies:
                    raise _NotStored(response)
                # the view sets only the type; the middleware adds the rest on every response
                return response["Content-Type"], response.content

            versions = [choices.version(scope) for scope in scopes[1:]]
            path = (request.path, *args, *sorted(kwargs.items()))
            try:
                content_type, content = choices.cached(
                    scopes[0], name, render, *path, *versions, *parts
                )
            except _NotStored as refused:
                return _with_token(request, refused.response)
            return _with_token(request, HttpResponse(content, content_type=content_type))

        return wrapper

    return decorator


def _with_token(request, response):
    """The visitor's own CSRF token in place of the placeholder (a token and cookie are made for
    the visitor only when the page has a form that needs one)."""
    if not response.streaming and _PLACEHOLDER_BYTES in response.content:
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    return response


def csrf_placeholder(request):
    """Context processor (after Django's built-in csrf one): the placeholder while a page is
    rendered for the cache, else nothing (the built-in token stands)."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "csrf_placeholder", False) else {}
