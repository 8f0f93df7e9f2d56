"""Documents and links shared in a workspace, and its discussion with @-mentions (issue 11, item 7).

Uploads are judged by their content, as evidence files are (`assessment/evidence.py`): the first
bytes decide the kind, which must agree with the name's ending, so a renamed program is refused;
office documents (ZIP archives) pass the shared guard `core.safefiles.check_zip` first. Files are
stored under a random name and served only through the download view, which applies the access
policy. Every state change of this part is here; posts notify through `services.notifications`.
"""

import io
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mreza.accounts.models import User
from mreza.assessment.evidence import ALLOWED, UNPACKED_FACTOR, ZIP_HEAD, removed_on_failure
from mreza.core import safefiles
from mreza.core.templatetags.mreza import script
from mreza.progress.models import Document, Meeting, Notification, Post, Workspace
from mreza.progress.services.meetings import people_of
from mreza.progress.services.notifications import notify
from mreza.text.serbian import cyr_to_lat, lat_to_cyr

#: The content types the download names (the stored file is sent as an attachment, never shown).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "text": "text/plain",
    "ooxml": "application/octet-stream",
    "odf": "application/octet-stream",
    "ole": "application/octet-stream",
}
POST_LIMIT = 5000
#: how much of a message a notification e-mail quotes
QUOTE_LIMIT = 1000


class DocumentRefused(ValidationError):
    """The file cannot be shared; the message (translated) says why."""


def max_bytes() -> int:
    return settings.MREZA_DOCUMENT_MAX_BYTES


def help_text() -> str:
    return _(
        "PDF, image (PNG, JPEG, GIF, WebP), office document or plain text; at most %(size)s. "
        "Everybody in the workspace can download it."
    ) % {"size": filesizeformat(max_bytes())}


def accept_attribute() -> str:
    return ",".join(f".{ending}" for ending in ALLOWED)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1250", "cp1251"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _kind_of(content: bytes) -> str | None:
    """The kind of a file from its first bytes (the same rules as evidence files)."""
    head = content[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(ZIP_HEAD):
        return _office_kind(content)
    return "text" if _is_text(content) else None


def _office_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return "ooxml"
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument"
            ):
                return "odf"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return None
    return None


def _archive_refusal(content: bytes) -> str | None:
    """Why a ZIP-based file (Word, Excel, OpenDocument...) cannot be shared, or None."""
    limit = max(safefiles.MAX_UNPACKED_BYTES, UNPACKED_FACTOR * max_bytes())
    refusal = safefiles.check_zip(content, max_unpacked=limit, required=())
    if refusal is None:
        return None
    if refusal.code in (safefiles.TOO_LARGE, safefiles.BOMB):
        return _(
            "This office document unpacks to more than %(limit)s MB, which no real document does, "
            "so it cannot be shared. Save it again, or as PDF, and share that file."
        ) % {"limit": limit // (1024 * 1024)}
    if refusal.code == safefiles.TOO_MANY:
        parts = refusal.params["members"]
        return ngettext(
            "This office document has %(parts)s part, far more than a real document has, so it "
            "cannot be shared. Save it again, or as PDF, and share that file.",
            "This office document has %(parts)s parts, far more than a real document has, so it "
            "cannot be shared. Save it again, or as PDF, and share that file.",
            parts,
        ) % {"parts": parts}
    if refusal.code == safefiles.DTD:
        return _(
            "This office document contains a document type declaration (DTD), which office "
            "documents do not use, so it cannot be shared. Save it again, or as PDF, and share "
            "that file."
        )
    return _(
        "This file is damaged: it cannot be unpacked. Save the document again and share the new "
        "file."
    )


def check_upload(upload) -> str:
    """Refuse (DocumentRefused) a file that is too large, empty, or not of an allowed kind by its
    content and name; returns the content type to serve it with."""
    limit = max_bytes()
    if upload.size > limit:
        raise DocumentRefused(
            _("A file may be at most %(size)s.") % {"size": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise DocumentRefused(_("The file is empty."))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if content.startswith(ZIP_HEAD):
        message = _archive_refusal(content)  # before anything opens the archive
        if message:
            raise DocumentRefused(message)
    ending = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    expected = ALLOWED.get(ending)
    actual = _kind_of(content)
    if expected is None or actual != expected:
        raise DocumentRefused(
            _(
                "This kind of file cannot be shared. Share a PDF, an image (PNG, JPEG, GIF, WebP), "
                "an office document (Word, Excel, PowerPoint, OpenDocument) or a plain text file, "
                "with its usual name ending."
            )
        )
    return CONTENT_TYPES[actual]


def _clean_filename(name: str) -> str:
    """The uploaded name as the download offers it: no folders, controls or direction marks."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = safefiles.BIDI_RE.sub("", safefiles.CONTROL_RE.sub("", name))
    name = safefiles.LINE_BREAK_RE.sub(" ", name).strip()
    return name[-255:] or "document"


def add_document(
    workspace: Workspace,
    user,
    title: str,
    *,
    meeting: Meeting | None = None,
    upload=None,
    url: str = "",
) -> Document:
    """Share a file (checked: `check_upload`) or a link in the workspace, optionally attached to one
    of its meetings. The file and its row are stored together or not at all."""
    if meeting is not None and meeting.workspace_id != workspace.pk:
        raise ValidationError(_("Choose a meeting of this workspace."))
    document = Document(workspace=workspace, meeting=meeting, title=title, uploaded_by=user)
    if upload is None:
        document.url = url
        with transaction.atomic():
            document.save()
        return document
    document.content_type = check_upload(upload)
    document.filename = _clean_filename(upload.name)
    document.size = upload.size
    document.stored_token = secrets.token_hex(16)
    with removed_on_failure() as stored, transaction.atomic():
        document.file.save(document.stored_token, upload, save=False)
        stored.append((document.file.storage, document.file.name))
        document.save()
    return document


def delete_document(document: Document) -> None:
    """Remove a document; its file goes once the row is gone for good."""
    file = document.file
    with transaction.atomic():
        document.delete()
        if file:
            storage, name = file.storage, file.name
            transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- the discussion


@dataclass
class Person:
    """Someone who may be mentioned in a workspace, and how to mention them."""

    user: User
    handle: str  # "@Ana Marić", or "@ana@example.org" when two people share the name
    member: str


def people(workspace: Workspace) -> list[Person]:
    """The people of a workspace (its member municipalities' users and its coordinator), each with
    the handle that mentions them."""
    found = [(p.user, str(p.member)) for p in people_of(workspace)]
    coordinator = workspace.coordinator
    if (
        coordinator is not None
        and coordinator.is_active
        and all(user.pk != coordinator.pk for user, _member in found)
    ):
        found.append((coordinator, _("coordinator")))
    names: dict[str, int] = {}
    for user, _member in found:
        key = user.full_name.strip().casefold()
        names[key] = names.get(key, 0) + 1
    result = []
    for user, member in found:
        name = user.full_name.strip()
        unique = bool(name) and names[name.casefold()] == 1 and "@" not in name
        result.append(Person(user, "@" + (name if unique else user.email), member))
    return result


def _mention_pattern(persons: list[Person]) -> tuple[re.Pattern | None, dict[str, User]]:
    """One pattern for every way to name the people: e-mail, or the full name (also in the other
    Serbian script) when no one else has it."""
    by_text: dict[str, set[int]] = {}
    users: dict[int, User] = {}
    for person in persons:
        user = person.user
        users[user.pk] = user
        texts = {user.email}
        name = " ".join(user.full_name.split())
        if len(name) >= 2:
            texts |= {name, cyr_to_lat(name), lat_to_cyr(name)}
        for text in texts:
            if text:
                by_text.setdefault(text.casefold(), set()).add(user.pk)
    unique = {text: next(iter(ids)) for text, ids in by_text.items() if len(ids) == 1}
    if not unique:
        return None, {}
    alternatives = "|".join(
        re.escape(text).replace(r"\ ", r"\s+") for text in sorted(unique, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<![\w@])@({alternatives})(?![\w@])", re.IGNORECASE)
    return pattern, {text: users[pk] for text, pk in unique.items()}


def mentioned_in(body: str, persons: list[Person]) -> list[User]:
    """The people `body` mentions with "@name" or "@e-mail", in the order of first mention."""
    pattern, by_text = _mention_pattern(persons)
    if pattern is None:
        return []
    found: dict[int, User] = {}
    for match in pattern.finditer(body):
        user = by_text.get(" ".join(match.group(1).split()).casefold())
        if user is not None:
            found.setdefault(user.pk, user)
    return list(found.values())


def _quote(body: str) -> str:
    return body if len(body) <= QUOTE_LIMIT else body[: QUOTE_LIMIT - 1] + "…"


def add_post(workspace: Workspace, author, body: str) -> Post:
    """Post a message: the people it mentions hear of it as a mention, everybody else in the
    workspace as a new message (each as they chose: at once, in the weekly digest, or not)."""
    persons = people(workspace)
    mentioned = [u for u in mentioned_in(body, persons) if u.pk != author.pk]
    with transaction.atomic():
        post = Post.objects.create(workspace=workspace, author=author, body=body)
        if mentioned:
            post.mentions.set(mentioned)
        url = reverse("progress:discussion", args=[workspace.pk]) + f"#post-{post.pk}"
        name, title = author.get_full_name(), workspace.title

        def mention_subject(_user):
            return _("%(author)s mentioned you in %(workspace)s") % {
                "author": script(name),
                "workspace": script(title),
            }

        def post_subject(_user):
            return _("New message from %(author)s in %(workspace)s") % {
                "author": script(name),
                "workspace": script(title),
            }

        def quote(_user):
            return script(_quote(body))

        notify(
            mentioned,
            Notification.Kind.MENTION,
            workspace,
            mention_subject,
            quote,
            url,
            dedupe_key=f"mention:post:{post.pk}",
        )
        named = {u.pk for u in mentioned} | {author.pk}
        notify(
            [p.user for p in persons if p.user.pk not in named],
            Notification.Kind.POST,
            workspace,
            post_subject,
            quote,
            url,
            dedupe_key=f"post:{post.pk}",
        )
    return post
