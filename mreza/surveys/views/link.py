"""How a survey reaches its respondents (issue 12, item 3): the QR code of its public link, the
printable poster, and one-time codes for a codes-only wave, offered once as a CSV file and as
printable slips. Making codes asks for Perm.MANAGE_SURVEY and goes through services.builder."""

import base64
import csv
import io
import time

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.core import exports
from mreza.core.access import Perm
from mreza.core.texts import localized
from mreza.surveys.forms.builder import CodesForm
from mreza.surveys.services import builder as services
from mreza.surveys.views import public_url, refusal_message, render_survey, survey_for
from mreza.surveys.views.builder import preview_languages
from mreza.surveys.views.waves import survey_wave

CODES_KEY = "surveys:new-codes"
# New codes wait in the session (server side) for their two downloads, for at most this long: a
# session left open on a shared computer must not keep them.
CODES_TTL_S = 30 * 60


def qr_code(request, survey):
    # error level M survives a poster with a scuff or a fold
    return segno.make(public_url(request, survey), error="m")


@login_required
def qr_svg(request, pk):
    survey = survey_for(request, pk)
    buffer = io.BytesIO()
    qr_code(request, survey).save(
        buffer, kind="svg", scale=8, border=4, xmldecl=False, title=_("QR code of the survey")
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.svg"'
    return response


@login_required
def qr_png(request, pk):
    survey = survey_for(request, pk)
    buffer = io.BytesIO()
    # scale 20: about 10 cm wide at 300 dpi, enough for a printed poster
    qr_code(request, survey).save(buffer, kind="png", scale=20, border=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.png"'
    return response


def _poster_context(request, survey, language):
    buffer = io.BytesIO()
    qr_code(request, survey).save(buffer, kind="svg", scale=10, border=2, xmldecl=False)
    return {
        "survey": survey,
        "language": language,
        "title": localized(survey.title, language),
        "introduction": localized(survey.introduction, language),
        "link": public_url(request, survey),
        "qr_data": base64.b64encode(buffer.getvalue()).decode("ascii"),
    }


@login_required
def poster(request, pk):
    """A printable A4 page: title, introduction, a big QR code and the link (in the language
    chosen; the page's own words too)."""
    survey = survey_for(request, pk)
    choices = preview_languages(survey)  # named in the reader's language, not the poster's
    asked = request.GET.get("language")
    language = asked if asked in dict(choices) else next(iter(dict(choices)), "en")
    with translation.override(language):
        context = {**_poster_context(request, survey, language), "choices": choices}
        if request.GET.get("format") == "pdf":
            from weasyprint import HTML  # slow to import; only PDFs need it

            html = render_to_string("surveys/poster_pdf.html", context, request=request)
            pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.pdf"'
            return response
        return render(request, "surveys/poster.html", context)


# ---------------------------------------------------------------- one-time codes


def _batch(request, wave):
    batch = request.session.get(CODES_KEY)
    if batch and time.time() - batch.get("made_at", 0) > CODES_TTL_S:
        request.session.pop(CODES_KEY, None)
        return None
    return batch if batch and batch.get("wave") == wave.pk else None


@login_required
@require_http_methods(["GET", "POST"])
def codes(request, pk, wave_pk):
    """Make one-time codes for a codes-only wave. The new codes are offered once, as a CSV file
    and as printable slips; afterwards only how many were made and used is known."""
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    wave = survey_wave(survey, wave_pk)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and request.POST.get("forget"):
        request.session.pop(CODES_KEY, None)
        return redirect("surveys:codes", pk=survey.pk, wave_pk=wave.pk)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.generate_codes(wave, form.cleaned_data["count"])
        except services.SurveyRefused as refusal:
            messages.error(request, refusal_message(refusal))
        else:
            # kept in this session only until both files are taken, "done" or CODES_TTL_S
            request.session[CODES_KEY] = {
                "wave": wave.pk,
                "codes": made,
                "taken": [],
                "made_at": time.time(),
            }
            return redirect("surveys:codes", pk=survey.pk, wave_pk=wave.pk)
    batch = _batch(request, wave)
    return render_survey(
        request,
        "surveys/codes.html",
        survey,
        "waves",
        {
            "wave": wave,
            "form": form,
            "counts": services.code_counts([wave]).get(wave.pk, {"issued": 0, "used": 0}),
            "batch_size": len(batch["codes"]) if batch else 0,
            "taken": batch["taken"] if batch else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _take(request, wave, kind):
    """The new codes, once per file kind; then forgotten when both kinds are taken."""
    batch = _batch(request, wave)
    if batch is None or kind in batch["taken"]:
        return None
    batch["taken"].append(kind)
    if len(batch["taken"]) >= 2:
        request.session.pop(CODES_KEY, None)
    else:
        request.session[CODES_KEY] = batch
    return batch["codes"]


def _codes_gone(request, survey, wave):
    messages.error(
        request,
        _(
            "These codes were already downloaded: for safety they are offered only once. If you "
            "lost them, make new codes."
        ),
    )
    return redirect("surveys:codes", pk=survey.pk, wave_pk=wave.pk)


@login_required
def codes_csv(request, pk, wave_pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    wave = survey_wave(survey, wave_pk)
    made = _take(request, wave, "csv")
    if made is None:
        return _codes_gone(request, survey, wave)
    link = public_url(request, survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(exports.row([_("Code"), _("Link")]))
    for one in made:
        writer.writerow(exports.row([one, link]))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="codes-wave-{wave.pk}.csv"'
    return response


@login_required
def codes_pdf(request, pk, wave_pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    wave = survey_wave(survey, wave_pk)
    made = _take(request, wave, "pdf")
    if made is None:
        return _codes_gone(request, survey, wave)
    from weasyprint import HTML  # slow to import; only PDFs need it

    language = survey.languages[0] if survey.languages else "en"
    with translation.override(language):
        context = {**_poster_context(request, survey, language), "wave": wave, "codes": made}
        html = render_to_string("surveys/codes_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="codes-wave-{wave.pk}.pdf"'
    return response
