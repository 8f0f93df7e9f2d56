"""HTTP headers that protect every response (the Content-Security-Policy comes from django-csp).

- Permissions-Policy: browser features Mreža never uses (camera, microphone, geolocation,
  payment, USB, ...) are switched off (settings.PERMISSIONS_POLICY).
- Cache-Control: no-store on anything private, so neither the browser's back button on a shared
  computer in a municipal office nor a proxy keeps a copy: every response to a signed-in user,
  the sign-in / password-reset / two-factor pages (they carry tokens), the admin, and every file
  download (XLSX, PDF, CSV, evidence files), whoever asked for it.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PRIVATE_PREFIXES = ("/accounts/", "/admin/", "/invitations/")
PAGE_TYPES = ("text/html", "application/json")


def is_download(response):
    if response.has_header("Content-Disposition"):
        return True
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return bool(content_type) and content_type not in PAGE_TYPES and response.status_code == 200


def is_private(request, response):
    user = getattr(request, "user", None)
    return (
        (user is not None and user.is_authenticated)
        or request.path.startswith(PRIVATE_PREFIXES)
        or is_download(response)
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if is_private(request, response):
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response
