"""What the public routers share: who asks (always an anonymous visitor: the public API answers
everyone the same, whatever session cookie comes along), and multilingual texts."""

from django.http import HttpRequest
from django.utils import timezone

from mreza.api.conventions import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageParams
from mreza.api.scripts import shown
from mreza.core.texts import localized
from mreza.registry import choices

#: the unfiltered lists' first pages are kept (a bounded set: deeper pages and filters are
#: computed for each request)
KEPT_PAGES = 10
KEPT_PAGE_SIZES = frozenset({DEFAULT_PAGE_SIZE, 50, 100, MAX_PAGE_SIZE})


def texts(value) -> dict[str, str]:
    """A stored multilingual text ({language: text}) as the API shows it: strings only."""
    if not isinstance(value, dict):
        return {"en": value} if isinstance(value, str) and value else {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def text(value) -> str:
    """The text in the request's language (the `Accept-Language` header); Serbian in the
    script it asks for (a Serbian version may have been written in either)."""
    chosen = localized(value)
    return shown(chosen) if isinstance(chosen, str) else ""


def kept_list(request: HttpRequest, name: str, params: PageParams, filters, build, *scopes, **opts):
    """`build()` (a list's page, as the endpoint returns it) kept until a version of `scopes`
    changes, for the same answer to everyone: the public lists without filters, on one of their
    first pages and usual sizes, per language (texts in the reader's script) and address (the
    links are absolute). Anything else is built for the request. ninja still checks the rate
    limit and the parameters, and serialises the answer. `schema` (the endpoint's response
    schema): the kept page is kept validated, so ninja only dumps it (it validates a plain dict
    again on every request). `per_minute=True` for a list that changes with the clock (upcoming
    events become past ones)."""
    unfiltered = not filters.model_dump(exclude_defaults=True)
    if not (unfiltered and params.page <= KEPT_PAGES and params.page_size in KEPT_PAGE_SIZES):
        return build()
    parts = [request.build_absolute_uri("/"), params.page, params.page_size]
    parts += [choices.version(scope) for scope in scopes[1:]]
    if opts.get("per_minute"):
        parts.append(timezone.now().strftime("%Y%m%d%H%M"))
    schema = opts.get("schema")

    def validated():
        page = build()
        return schema.model_validate(page) if schema is not None else page

    return choices.cached(scopes[0], f"api:{name}", validated, *parts, *opts.get("versions", ()))
