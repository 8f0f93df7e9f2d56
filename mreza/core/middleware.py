from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.translation import check_for_language

from mreza.core.audit import acting_as
from mreza.core.languages import request_language


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, on every device.

    Without a saved language or cookie, Serbian from the browser is ijekavian for readers in Bosnia
    and Herzegovina (``sr-BA`` or a municipality in BA); see ``mreza.core.languages``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request, request.LANGUAGE_CODE)
        if language and language != request.LANGUAGE_CODE and check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request.user):
            return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the address or the query is never meaningful, and PostgreSQL refuses it in any
    text column (an error deep inside a query): answer 400 before any view reads it. Form fields are
    left to the forms: Django's CharField refuses NUL with a message and keeps what the user
    typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _has_nul(query_dict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )
