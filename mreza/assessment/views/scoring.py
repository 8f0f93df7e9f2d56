import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.assessment import evidence, scoring, services, workbook
from mreza.assessment.forms import EntryForm
from mreza.assessment.models import Entry, EvidenceFile
from mreza.assessment.views import assessment_for, panel_for_display, subcriterion_step
from mreza.core.access import Perm, get_or_deny, may, require
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.texts import localized
from mreza.core.versioning import EditConflict


def _my_member(assessment, user):
    return assessment.members.filter(user=user).first()


@login_required
def score_index(request, pk):
    assessment = assessment_for(request, pk, Perm.ASSESS)
    member = _my_member(assessment, request.user)
    subcriteria = services.subcriteria_of(assessment)
    mine = {
        e.subcriterion_id: e
        for e in Entry.objects.filter(assessment=assessment, assessor=request.user)
    }
    rows = [(s, mine.get(s.pk)) for s in subcriteria]
    answered = sum(1 for _s, e in rows if e and e.is_answered)
    return render(
        request,
        "assessment/score_index.html",
        {
            "assessment": assessment,
            "rows": rows,
            "member": member,
            "answered": answered,
            "total": len(rows),
            "can_score": may(request.user, Perm.EDIT_SCORES, assessment),
        },
    )


def _entry_form(*args, **kwargs):
    form = EntryForm(*args, **kwargs)
    form.fields["evidence_file"].help_text = evidence.help_text()
    form.fields["evidence_file"].widget.attrs["accept"] = evidence.accept_attribute()
    return form


@login_required
@require_http_methods(["GET", "POST"])
def score_subcriterion(request, pk, code):
    assessment = assessment_for(request, pk, Perm.ASSESS)
    step = subcriterion_step(assessment, code)
    subcriterion, panel = step["subcriterion"], step["panel"]
    entry = (
        Entry.objects.filter(
            assessment=assessment, assessor=request.user, subcriterion=subcriterion
        )
        .prefetch_related("files")
        .first()
    )
    read_only = not may(request.user, Perm.EDIT_SCORES, assessment)
    form = _entry_form(request.POST or None, request.FILES or None, panel=panel, instance=entry)
    status = 200
    if request.method == "POST":
        require(request.user, Perm.EDIT_SCORES, assessment)
        upload = form.cleaned_data.get("evidence_file") if form.is_valid() else None
        if upload:
            try:
                evidence.check_upload(upload)
            except evidence.EvidenceRefused as refused:
                form.add_error("evidence_file", str(refused))
        if form.is_valid():
            try:
                # a file stored for a save that fails is deleted again: no file without its row
                with evidence.removed_on_failure() as stored, transaction.atomic():
                    entry = services.save_entry(
                        assessment,
                        request.user,
                        subcriterion,
                        form.entry_values(),
                        form.cleaned_data.get("version"),
                    )
                    if upload:
                        evidence.attach(entry, upload, stored)
            except EditConflict:
                current = Entry.objects.get(
                    assessment=assessment, assessor=request.user, subcriterion=subcriterion
                )
                form = stale_form(
                    request,
                    lambda data: _entry_form(data, panel=panel, instance=entry),
                    current,
                    _(
                        "You changed this subcriterion in another window meanwhile. "
                        "Your text is kept below; check it and save again."
                    ),
                )
                status = CONFLICT
            except services.AssessmentError as error:
                messages.error(request, str(error))
                status = 400
            else:
                messages.success(request, _("Saved %(code)s.") % {"code": subcriterion.code})
                if "next" in request.POST and step["next_code"]:
                    return redirect("assessment:score_subcriterion", pk=pk, code=step["next_code"])
                return redirect("assessment:score_subcriterion", pk=pk, code=subcriterion.code)
    return render(
        request,
        "assessment/score_subcriterion.html",
        {
            **step,
            "assessment": assessment,
            "form": form,
            "entry": entry,
            "panel": panel_for_display(panel),
            "read_only": read_only,
            "evidence_limit": settings.MREZA_EVIDENCE_MAX_BYTES,
        },
        status=status,
    )


@login_required
def evidence_file(request, pk, file_pk):
    """Evidence is served only here, through the policy: the assessor, and after they submitted,
    whoever may manage the assessment; everyone else gets 404 (MEDIA_ROOT is never published)."""
    assessment = assessment_for(request, pk)
    found = get_or_deny(
        request.user,
        Perm.DOWNLOAD_EVIDENCE,
        EvidenceFile.objects.select_related("entry", "entry__assessment"),
        pk=file_pk,
        entry__assessment=assessment,
    )
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- the Excel round trip


def _signature(assessment, user):
    message = (
        f"{assessment.pk}:{user.pk}:{assessment.framework.code}:{assessment.framework.version}"
    )
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def _workbook_meta(assessment, user):
    return {
        "assessment": str(assessment.pk),
        "framework": assessment.framework.code,
        "framework_version": assessment.framework.version,
        "method": assessment.method,
        "assessor": str(user.pk),
        "signature": _signature(assessment, user),
    }


def _workbook_rows(assessment, user):
    subcriteria = services.subcriteria_of(assessment)
    mine = {
        e.subcriterion_id: e for e in Entry.objects.filter(assessment=assessment, assessor=user)
    }
    rows = []
    for sub in subcriteria:
        sub.framework = assessment.framework
        panel = sub.panel_for(assessment.method)
        resolved = _resolved_panel(panel)
        entry = mine.get(sub.pk)
        rows.append(
            {
                "code": sub.code,
                "criterion": localized(sub.criterion.title),
                "title": localized(sub.title),
                "panel": resolved,
                "existing": {
                    "score": entry.score if entry else None,
                    "dimensions": entry.dimensions if entry else {},
                    "dont_know": entry.dont_know if entry else False,
                    "strengths": entry.strengths if entry else "",
                    "improvements": entry.improvements if entry else "",
                    "ideas": entry.ideas if entry else "",
                    "evidence": entry.evidence if entry else "",
                },
                "subcriterion": sub,
            }
        )
    return rows


def _resolved_panel(panel):
    """The panel with every text in the reader's language, as the workbook writes it."""

    def bands(items):
        return [
            dict(
                b,
                meaning=localized(b["meaning"]),
                **({"label": localized(b["label"])} if "label" in b else {}),
            )
            for b in items
        ]

    resolved = dict(
        panel, name=localized(panel.get("name", {})), bands=bands(panel.get("bands", []))
    )
    if panel.get("dimensions"):
        resolved["dimensions"] = [
            dict(d, name=localized(d["name"]), bands=bands(d.get("bands", [])))
            for d in panel["dimensions"]
        ]
        for d in resolved["dimensions"]:
            d.pop("description", None)
            if not d["bands"]:
                d.pop("bands")
    resolved.pop("description", None)
    return resolved


def _labels():
    return {
        "sheet": _("Scores"),
        "instructions_sheet": _("Instructions"),
        "instructions": [
            _("Fill in the white cells only; the grey columns must stay as they are."),
            _(
                "Give a score on the scale shown for each row, or write the “don't know” word in "
                "that column."
            ),
            _(
                "Save the file as .xlsx and upload it on the scoring page. Nothing is saved if any "
                "cell has a problem."
            ),
        ],
        "code": _("Code"),
        "criterion": _("Criterion"),
        "subcriterion": _("Subcriterion"),
        "score": _("Score"),
        "dont_know": _("Don't know"),
        "dont_know_value": _("don't know"),
        "strengths": _("Strengths"),
        "improvements": _("Areas for improvement"),
        "ideas": _("Improvement ideas"),
        "evidence": _("Evidence (links)"),
        "scale": _("Scale"),
        "yes": _("yes"),
    }


@login_required
def workbook_download(request, pk):
    assessment = assessment_for(request, pk, Perm.SCORE)
    rows = _workbook_rows(assessment, request.user)
    content = workbook.build_workbook(
        {
            "meta": _workbook_meta(assessment, request.user),
            "labels": _labels(),
            "rows": [{k: v for k, v in r.items() if k != "subcriterion"} for r in rows],
        },
        gettext=_,
    )
    name = f"{slugify(assessment.title) or 'assessment'}-{translation.get_language()}.xlsx"
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def workbook_upload(request, pk):
    assessment = assessment_for(request, pk, Perm.SCORE)
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, _("Choose the workbook file to upload."))
        return redirect("assessment:score_index", pk=pk)
    if upload.size > 10 * 1024 * 1024:
        messages.error(request, _("The file is too large for a scoring workbook (at most 10 MB)."))
        return redirect("assessment:score_index", pk=pk)
    rows = _workbook_rows(assessment, request.user)
    spec_rows = [{k: v for k, v in r.items() if k != "subcriterion"} for r in rows]
    try:
        parsed = workbook.parse_workbook(
            upload.read(), _workbook_meta(assessment, request.user), spec_rows
        )
    except workbook.WorkbookError as error:
        problems = [_problem_text(p) for p in error.problems]
        return render(
            request,
            "assessment/workbook_errors.html",
            {"assessment": assessment, "problems": problems},
            status=400,
        )
    by_code = {r["code"]: r["subcriterion"] for r in rows}
    try:
        with transaction.atomic():
            for values in parsed:
                sub = by_code[values["code"]]
                panel = sub.panel_for(assessment.method)
                score = values["score"]
                if values.get("dimensions"):
                    score = scoring.combine(panel, values["dimensions"])
                services.save_entry(
                    assessment,
                    request.user,
                    sub,
                    {
                        "score": score,
                        "dimensions": values.get("dimensions") or {},
                        "dont_know": values["dont_know"],
                        "strengths": values["strengths"],
                        "improvements": values["improvements"],
                        "ideas": values["ideas"],
                        "evidence": values["evidence"],
                    },
                )
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The workbook is imported: %(n)s subcriteria saved.") % {"n": len(parsed)}
        )
    return redirect("assessment:score_index", pk=pk)


def _problem_text(problem):
    # Messages already name the sheet and cell; render them in the reader's language.
    return problem.render(_)
