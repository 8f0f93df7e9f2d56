"""What the public routers share: who asks (always an anonymous visitor: the public API answers
everyone the same, whatever session cookie comes along), and multilingual texts."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.renderers import JSONRenderer

from mreza.api.conventions import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageParams
from mreza.api.scripts import shown
from mreza.core.texts import localized
from mreza.registry import choices

#: the unfiltered lists' first pages are kept (a bounded set: deeper pages and filters are
#: computed for each request)
KEPT_PAGES = 10
KEPT_PAGE_SIZES = frozenset({DEFAULT_PAGE_SIZE, 50, 100, MAX_PAGE_SIZE})
#: ninja's default renderer, which the API uses
_RENDERER = JSONRenderer()


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


def kept_list(
    request: HttpRequest,
    name: str,
    params: PageParams,
    filters,
    build,
    *scopes: str,
    schema,
    per_minute: bool = False,
) -> dict | HttpResponse:
    """The endpoint's answer: `build()` (a list's page, a dict), or for the same answer to
    everyone the page kept as ninja would send it until a version of `scopes` changes. Kept are
    the public lists without filters, on one of their first pages and usual sizes, per language
    (texts in the reader's script) and address (the links are absolute); anything else is built
    for the request. ninja still checks the rate limit and the parameters, and `json_errors` adds
    the ETag. `schema` is the endpoint's response schema: the page is validated against it and
    rendered as ninja renders (a test compares the bytes). `per_minute=True` for a list that
    changes with the clock (upcoming events become past ones)."""
    unfiltered = not filters.model_dump(exclude_defaults=True)
    if not (unfiltered and params.page <= KEPT_PAGES and params.page_size in KEPT_PAGE_SIZES):
        return build()
    parts = [request.build_absolute_uri("/"), params.page, params.page_size]
    parts += [choices.version(scope) for scope in scopes[1:]]
    if per_minute:
        parts.append(timezone.now().strftime("%Y%m%d%H%M"))

    def rendered():
        context = {"request": request, "response_status": 200}
        page = schema.model_validate(build(), context=context)
        return _RENDERER.render(request, page.model_dump(context=context), response_status=200)

    body = choices.cached(scopes[0], f"api:{name}", rendered, *parts)
    return HttpResponse(body, content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}")
