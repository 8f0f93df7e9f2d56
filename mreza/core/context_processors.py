from django.conf import settings
from django.utils import translation

from mreza.core.access import roles_of


def reader_script(language_code=None):
    """The script a reader of this UI language reads Serbian text in."""
    code = language_code or translation.get_language() or "en"
    return "cyrl" if code in ("sr", "bg") else "latn"


def navigation(request):
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else None
    return {
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
        "reader_script": reader_script(),
        "is_platform_admin": bool(roles and roles.is_admin),
        "is_network_coordinator": bool(roles and (roles.is_network_coordinator or roles.is_admin)),
    }
