"""Documents and links shared in a workspace, and its discussion (issue 11, item 7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm, may, require
from mreza.progress.forms.discussion import DocumentForm, PostForm
from mreza.progress.models import Document, Post
from mreza.progress.services import discussion as services
from mreza.progress.views.common import render_workspace, workspace_view

PAGE_SIZE = 30


def _delete_perm(user, document):
    """The uploader removes their own document while they still take part; anybody else must run
    the workspace."""
    return Perm.CONTRIBUTE if document.uploaded_by_id == user.pk else Perm.MANAGE_WORKSPACE


@workspace_view(Perm.VIEW)
@require_http_methods(["GET", "POST"])
def documents(request, workspace):
    """The files and links of the workspace, newest first; members share more (CONTRIBUTE)."""
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = request.GET["meeting"]
    form = DocumentForm(
        request.POST or None, request.FILES or None, workspace=workspace, initial=initial
    )
    if request.method == "POST":
        require(request.user, Perm.CONTRIBUTE, workspace)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_document(
                    workspace,
                    request.user,
                    data["title"],
                    meeting=data["meeting"],
                    upload=data["file"] or None,
                    url=data["url"],
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, _("The document is shared."))
                return redirect("progress:documents", pk=workspace.pk)
    rows = workspace.documents.select_related("uploaded_by", "meeting").order_by(
        "-created_at", "-id"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    manages = may(request.user, Perm.MANAGE_WORKSPACE, workspace)
    contributes = may(request.user, Perm.CONTRIBUTE, workspace)
    for document in page:
        document.may_delete = manages or (
            contributes and document.uploaded_by_id == request.user.pk
        )
    return render_workspace(
        request,
        "progress/discussion/documents.html",
        workspace,
        "documents",
        {"form": form, "page": page, "documents": list(page)},
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view(Perm.VIEW)
def document_download(request, workspace, document):
    """A shared file, with its original name, as an attachment (never shown in the browser);
    only through here (MEDIA_ROOT is never published)."""
    found = get_object_or_404(Document, workspace=workspace, pk=document)
    if not found.file:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename or "document",
        content_type=found.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@workspace_view(Perm.VIEW)
@require_POST
def document_delete(request, workspace, document):
    found = get_object_or_404(Document, workspace=workspace, pk=document)
    require(request.user, _delete_perm(request.user, found), found)
    services.delete_document(found)
    messages.success(request, _("The document is deleted."))
    return redirect("progress:documents", pk=workspace.pk)


@workspace_view(Perm.VIEW)
@require_http_methods(["GET", "POST"])
def discussion(request, workspace):
    """The workspace's thread, newest first; members post (CONTRIBUTE), and @-mentions notify."""
    form = PostForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Perm.CONTRIBUTE, workspace)
        if form.is_valid():
            post = services.add_post(workspace, request.user, form.cleaned_data["body"])
            messages.success(request, _("Your message is posted."))
            return redirect(f"{request.path}#post-{post.pk}")
    rows = (
        Post.objects.filter(workspace=workspace)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    contributes = may(request.user, Perm.CONTRIBUTE, workspace)
    return render_workspace(
        request,
        "progress/discussion/discussion.html",
        workspace,
        "discussion",
        {
            "form": form,
            "page": page,
            "posts": list(page),
            "people": services.people(workspace) if contributes else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
