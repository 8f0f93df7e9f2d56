"""What every workspace page needs: the workspace, looked up through the policy, and its context."""

import functools

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from mreza.core.access import Perm, may, require
from mreza.core.decorators import sign_in_when_anonymous
from mreza.progress.models import Workspace


def workspace_view(perm):
    """Decorate a view `(request, workspace, ...)` of the URL `workspaces/<int:pk>/...`.

    The workspace is looked up through the policy: a visitor who may not see it gets 404 (or the
    sign-in page when anonymous); one who may see it but not do `perm` gets 403. Pages of the plan
    and progress use Perm.VIEW_PLAN, which a published workspace grants to everybody.
    """

    def decorate(view):
        @sign_in_when_anonymous
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            workspace = get_object_or_404(
                Workspace.objects.select_related("organisation", "framework", "coordinator"),
                pk=pk,
            )
            seeing = Perm.VIEW_PLAN if perm == Perm.VIEW_PLAN else Perm.VIEW
            if not may(request.user, seeing, workspace):
                raise Http404
            if perm not in (Perm.VIEW, Perm.VIEW_PLAN):
                require(request.user, perm, workspace)
            return view(request, workspace, *args, **kwargs)

        return wrapper

    return decorate


def render_workspace(request, template, workspace, tab, context=None, status=200):
    """Render a workspace page (extending progress/workspace_base.html) with the flags its tabs
    and buttons need."""
    user = request.user
    flags = {
        "workspace": workspace,
        "tab": tab,
        "may_view": may(user, Perm.VIEW, workspace),
        "may_manage": may(user, Perm.MANAGE_WORKSPACE, workspace),
        "may_contribute": may(user, Perm.CONTRIBUTE, workspace),
    }
    return render(request, template, {**flags, **(context or {})}, status=status)


FAR_PAGE = 1_000_000


def counted_page(queryset, per_page, number):
    """The page `number` of `queryset`, as Paginator.get_page gives it (a page past the end: the
    last one; not a number: the first), with the count in the same query as the rows (a window
    over them) instead of a COUNT of its own."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    # a page number past any list (a junk ?page=999…) is not sent to the database as an offset
    rows = list(_page_rows(queryset, per_page, number)) if number <= FAR_PAGE else []
    if rows:
        total = rows[0].counted_total
    else:
        total = queryset.count() if number > 1 else 0
        last = max((total + per_page - 1) // per_page, 1)
        if number > last:
            number = last
            rows = list(_page_rows(queryset, per_page, number))
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = total  # known already: Paginator.count is a cached property
    return Page(rows, number, paginator)


def _page_rows(queryset, per_page, number):
    start = (number - 1) * per_page
    return queryset.annotate(counted_total=Window(Count("pk")))[start : start + per_page]
