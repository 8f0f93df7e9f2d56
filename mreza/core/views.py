from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from mreza.core.access import Perm, audit_entries_visible_to, require
from mreza.core.models import AuditEntry


@login_required
def audit_log(request):
    require(request.user, Perm.ADMINISTER)
    # administrators too see an assessor's scores only once they are submitted (the access policy)
    entries = audit_entries_visible_to(request.user, AuditEntry.objects.all()).select_related(
        "actor", "content_type"
    )
    kind = request.GET.get("kind")
    if kind:
        entries = entries.filter(content_type__model=kind)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


@require_POST
def set_language(request):
    """Switch the UI language; remembered in a cookie and, when signed in, on the account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
