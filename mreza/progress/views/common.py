"""What every workspace page needs: the workspace, looked up through the policy, and its context."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from mreza.core.access import Perm, may, require
from mreza.progress.models import Workspace


def workspace_view(perm):
    """Decorate a view `(request, workspace, ...)` of the URL `workspaces/<int:pk>/...`.

    The workspace is looked up through the policy: a visitor who may not see it gets 404 (or the
    sign-in page when anonymous); one who may see it but not do `perm` gets 403. Pages of the plan
    and progress use Perm.VIEW_PLAN, which a published workspace grants to everybody.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            workspace = get_object_or_404(
                Workspace.objects.select_related("organisation", "framework", "coordinator"),
                pk=pk,
            )
            seeing = Perm.VIEW_PLAN if perm == Perm.VIEW_PLAN else Perm.VIEW
            if not may(request.user, seeing, workspace):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
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
