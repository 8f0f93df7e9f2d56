"""The progress app's part of the municipality page (registered in apps.py, see
registry.sections): the municipality's public networks, partnerships and twinnings, and for who
may, the way to start a twinning with it.

The page is one of the most read; its anonymous path costs no query here: the public workspaces
come from the cache, forgotten whenever a workspace or a membership changes (caching.py).
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core.access import Perm, managed_municipalities, may
from mreza.core.templatetags.mreza import script
from mreza.progress import caching
from mreza.progress.models import Workspace
from mreza.registry import choices
from mreza.registry.models import Municipality


def public_workspaces(municipality):
    """[(pk, title, kind)] of the published workspaces the municipality is a member of."""
    return choices.cached(
        caching.PUBLIC,
        "public-workspaces",
        lambda: list(
            Workspace.objects.filter(
                is_published=True,
                members__municipality_id=municipality.pk,
                members__left_on__isnull=True,
            )
            .order_by("-starts_on", "title", "id")
            .values_list("pk", "title", "kind")
            .distinct()
        ),
        municipality.pk,
    )


def _is_current(municipality):
    today = timezone.localdate()
    return (municipality.valid_from is None or municipality.valid_from <= today) and (
        municipality.valid_to is None or municipality.valid_to >= today
    )


def twinning_links(user, municipality):
    """[(label, url)]: start a twinning of this municipality (for who runs it), or of one the user
    runs with this one as the partner, prefilled."""
    if not user.is_authenticated or not _is_current(municipality):
        return []
    links = []
    if may(user, Perm.CREATE_TWINNING, municipality):
        links.append(
            (
                _("Start a twinning of %(name)s") % {"name": script(municipality.name)},
                reverse("progress:twinning_new", args=[municipality.code]),
            )
        )
    own = [pk for pk in managed_municipalities(user) if pk != municipality.pk]
    if own:
        partner = {"name": script(municipality.name)}
        for mine in Municipality.objects.filter(pk__in=own).only("pk", "code", "name"):
            if may(user, Perm.CREATE_TWINNING, mine):
                url = reverse("progress:twinning_new", args=[mine.code])
                label = _("Start a twinning of %(own)s with %(name)s") % {
                    **partner,
                    "own": script(mine.name),
                }
                links.append((label, f"{url}?partner={municipality.code}"))
    return links


def municipality_workspaces(request, municipality):
    """The section's HTML (empty when there is nothing to show), as `progress_section`."""
    links = twinning_links(request.user, municipality)
    published = [
        {"pk": pk, "title": title, "kind": Workspace.Kind(kind).label}
        for pk, title, kind in public_workspaces(municipality)
    ]
    if not links and not published:
        return {"progress_section": ""}
    html = render_to_string(
        "progress/_profile_section.html",
        {"twinning_links": links, "public_workspaces": published, "municipality": municipality},
        request=request,
    )
    return {"progress_section": html}
