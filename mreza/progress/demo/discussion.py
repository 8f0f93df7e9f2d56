"""Demo data of step 3: documents and the discussion.

"active": a lively thread over the past months (Serbian ijekavian, Cyrillic and Latin as people
type it, with @-mentions), a few links, a short PDF of the network's terms of reference and a CSV
of indicator figures (both through the same checks as any upload), the PDF attached to the first
held meeting. The mentions appear in the notifications of the people named (as already sent: the
demo has nobody to mail). Only the workspaces made in this run (`ctx.created`) are filled.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from mreza.progress.models import Meeting, Notification, Post
from mreza.progress.services import discussion as services

# (days ago, author login, text); "{name}" is replaced by a mention of that login's person
THREAD = [
    (
        150,
        "dana",
        "Добро дошли у дискусију мреже! Овдје дијелимо искуства између састанака.\n"
        "{alice}, можеш ли поставити записник са првог састанка?",
    ),
    (149, "alice", "Записник је у документима. {bob} припрема преглед показатеља за све чланице."),
    (
        120,
        "bob",
        "Hvala! Preliminarni podaci o fluktuaciji kadrova su gotovi za četiri od šest opština.\n"
        "Molim {dana} da podsjeti ostale da pošalju svoje brojke do kraja mjeseca.",
    ),
    (
        96,
        "tomo",
        "Obuka za kadrovske službe: predlažem termin poslije sljedećeg sastanka, u Gradišci.\n"
        "Ko je za?",
    ),
    (95, "olga", "Подржавам. Можемо искористити материјале са прошлогодишње обуке."),
    (94, "dana", "Договорено. {tomo}, пошаљи позив свим члановима до петка."),
    (
        60,
        "alice",
        "Питање за све: како рјешавате менторство за новозапослене?\n"
        "Код нас сваки приправник добија ментора из свог сектора на шест мјесеци.",
    ),
    (
        58,
        "bob",
        "Mi smo uveli i razvojne razgovore nakon šest mjeseci — rezultati su odlični.\n"
        "Detalje ću staviti u dokumente prije sljedećeg sastanka. {olga}, možeš li dodati "
        "iskustva iz prošle godine?",
    ),
    (
        21,
        "mara",
        "Управа подржава заједничко упутство за оцјењивање. {alice}, јави када нацрт буде "
        "спреман за читање.",
    ),
    (3, "alice", "Нацрт је спреман — погледајте документе и пошаљите примједбе до сриједе."),
]

LINKS = [
    ("URBACT: алати за интегрисане акционе планове", "https://urbact.eu/toolbox-home", 140),
    (
        "Савјет Европе: Европска ознака изврсности у добром управљању (ELoGE)",
        "https://www.coe.int/en/web/good-governance/eloge",
        110,
    ),
    ("Zajednička fascikla mreže (nacrti i obrasci)", "https://cloud.example.org/s/hr-mreza", 90),
]

TERMS = """<!doctype html><html lang="sr"><head><meta charset="utf-8"><title>Пројектни задатак
мреже</title></head><body><h1>Пројектни задатак мреже</h1><p>Тема: управљање људским ресурсима у
општинској управи.</p><ol><li>Мјесечни састанци кадровских служби општина чланица.</li>
<li>Заједнички
показатељи: флуктуација кадрова, сати обуке по запосленом, задовољство запослених.</li><li>Студијске
посјете и размјена пракси.</li></ol></body></html>"""

FIGURES = (
    "општина,флуктуација (%),сати обуке по запосленом\n"
    "Бања Лука,6.1,14\nГрадишка,7.4,9\nЛакташи,5.2,11\nПриједор,8.0,7\n"
)


def load(ctx):
    """Fill the workspaces in ctx.created (see mreza/progress/demo/__init__.py)."""
    if "active" in ctx.created:
        _active(ctx, ctx.workspaces["active"])


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days, hours=days % 5)


def _active(ctx, workspace):
    persons = services.people(workspace)
    handles = {p.user.email.split("@")[0]: p.handle for p in persons}
    first_meeting = (
        Meeting.objects.filter(workspace=workspace, status=Meeting.Status.HELD)
        .order_by("starts_at")
        .first()
    )
    _documents(ctx, workspace, first_meeting)
    url = reverse("progress:discussion", args=[workspace.pk])
    for days, login, text in THREAD:
        author = ctx.people.get(login)
        if author is None:
            continue
        body = text.format_map(_Handles(handles))
        post = Post.objects.create(workspace=workspace, author=author, body=body)
        at = _ago(days)
        Post.objects.filter(pk=post.pk).update(created_at=at)
        mentioned = [u for u in services.mentioned_in(body, persons) if u.pk != author.pk]
        post.mentions.set(mentioned)
        for user in mentioned:
            row = Notification.objects.create(
                user=user,
                workspace=workspace,
                kind=Notification.Kind.MENTION,
                subject=f"{author.get_full_name()}: {workspace.title}",
                body=body,
                url=f"{url}#post-{post.pk}",
                dedupe_key=f"mention:post:{post.pk}",
                sent_at=at,
            )
            Notification.objects.filter(pk=row.pk).update(created_at=at)


class _Handles(dict):
    """A mention of each demo login; a login without a person in the workspace stays a name."""

    def __missing__(self, login):
        return login.title()


def _documents(ctx, workspace, meeting):
    dana, alice, bob = (ctx.people.get(login) for login in ("dana", "alice", "bob"))
    for title, url, days in LINKS:
        document = services.add_document(workspace, dana, title, url=url)
        _date(document, days)
    pdf = HTML(string=TERMS).write_pdf()
    terms = services.add_document(
        workspace,
        alice,
        "Пројектни задатак мреже",
        meeting=meeting,
        upload=SimpleUploadedFile("projektni-zadatak.pdf", pdf),
    )
    _date(terms, 148)
    figures = services.add_document(
        workspace,
        bob,
        "Показатељи кадрова по општинама (прелиминарно)",
        upload=SimpleUploadedFile("pokazatelji.csv", FIGURES.encode()),
    )
    _date(figures, 119)


def _date(document, days):
    type(document).objects.filter(pk=document.pk).update(created_at=_ago(days))
