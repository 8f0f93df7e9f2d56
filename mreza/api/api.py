"""The one API of Mreža, version 1, under /api/v1/ (django-ninja; docs/ARCHITECTURE.md says why).

Public read endpoints (no account) come from `mreza.api.public.ROUTERS`, one router per domain;
the token API's from `mreza.api.private.ROUTERS`. Both follow `conventions`: JSON errors, page
pagination, ETags, rate limits, bodies that refuse unknown fields. The OpenAPI 3 schema is at
/api/v1/openapi.json and the browsable docs at /api/v1/docs (Swagger UI from ninja's packaged
static files: the page loads no script from elsewhere and runs none inline, so it works under
the site's Content-Security-Policy).
"""

from ninja import NinjaAPI, Swagger

from mreza.api import conventions, private, public

DESCRIPTION = """Open data of Mreža: the registry of municipalities, self-assessment frameworks,
the published results of networks, citizen surveys (totals only), self-evaluations, published good
practices and events.

**Conventions.** Municipalities are named by their code. Lists are paged (`page`, `page_size`
from 1 to %(max)d, default %(default)d) and answer `count`, `next` and `previous`. Every
successful GET has an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`. Errors
are JSON (`code`, `detail`, and `errors` naming each invalid field). Requests are limited per
client address (per token for the token API): over the limit the answer is `429` with
`Retry-After`. Request bodies refuse unknown fields. Paths are versioned (`/api/v1/`).

**Languages and scripts.** `Accept-Language` chooses the language of texts stored in several
languages and of error messages (`en`, `bs`, `hr`, `sr`, `sr-latn`, `sr-ijekavsk`,
`sr-latn-ijekavsk`, `bg`). Texts people wrote in Serbian (titles, summaries, descriptions,
programmes, lessons...) are stored in the script they were typed in; a Serbian request answers
them in one script, as the site's pages do: `sr-Latn` (`sr-latn`, `sr-latn-ijekavsk`) in Latin,
`sr`, `sr-Cyrl` (`sr-ijekavsk`) in Cyrillic. Any other language gets them as they were typed.
Codes, addresses, e-mails, file names, municipalities' official names (`name`, with `name_latin`
beside it) and the `titles`/`names` maps of every stored version are never transliterated.
Answers say `Vary: Accept-Language`, and their `ETag` differs from one language to another."""


class MrezaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        conventions.complete_schema(schema)
        return schema


def build_api() -> NinjaAPI:
    api = MrezaAPI(
        title="Mreža API",
        version="1",
        description=DESCRIPTION
        % {"max": conventions.MAX_PAGE_SIZE, "default": conventions.DEFAULT_PAGE_SIZE},
        urls_namespace="api:api-v1",
        openapi_url="/openapi.json",
        docs_url="/docs",
        # no validator badge: it would load an image from validator.swagger.io
        docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
        throttle=[conventions.ApiRateLimit()],
    )
    conventions.install_error_handlers(api)
    for prefix, router in (*public.ROUTERS, *private.ROUTERS):
        api.add_router(prefix, router)
    return api


api = build_api()
