from django.utils import translation

from mreza.core.access import roles_of

#: UI languages written in Cyrillic; every other one (sr-latn, sr-latn-ijekavsk, bs, hr, en) reads
#: Latin.
CYRILLIC_UI_LANGUAGES = frozenset({"sr", "sr-ijekavsk", "bg"})


def reader_script(language_code=None):
    """The script a reader of this UI language reads Serbian text in."""
    code = (language_code or translation.get_language() or "en").lower()
    return "cyrl" if code in CYRILLIC_UI_LANGUAGES else "latn"


def navigation(request):
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else None
    return {
        "reader_script": reader_script(),
        "is_platform_admin": bool(roles and roles.is_admin),
        "is_network_coordinator": bool(roles and (roles.is_network_coordinator or roles.is_admin)),
        # who reviews or validates good practices (what waits is on their queue)
        "reviews_practices": bool(
            roles and (roles.is_network_coordinator or roles.is_expert or roles.is_admin)
        ),
    }
