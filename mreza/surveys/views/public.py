"""Answering a survey: the public link /s/<token>/ (no account, a phone is enough) and, for the
municipality's staff, the paper questionnaire (PDF) and its fast data entry.

The answer form keeps Django's CSRF protection. The signed form token (services.responses) does
not replace it: anybody can fetch a token from the public page, so a hostile site could make its
visitors' browsers post answers under their own addresses, round the per-address rate limit;
the CSRF cookie and the Origin check stop that.
"""

import hashlib
import json
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core import ratelimit
from mreza.core.access import Perm, get_or_deny, may
from mreza.core.languages import browser_language
from mreza.core.texts import localized
from mreza.surveys.answers import clean_answers
from mreza.surveys.forms.public import (
    SURVEY_LANGUAGE_NAMES,
    CodeForm,
    PaperForm,
    choose_language,
    language_links,
    questions,
    survey_language,
)
from mreza.surveys.models import Response, Survey, Wave
from mreza.surveys.services import responses as services
from mreza.surveys.views import render_survey, survey_for

logger = logging.getLogger("mreza.surveys")
DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


# ---------------------------------------------------------------- language and client


def _reader_language(request):
    """The site's language for this reader if they expressed one (account, cookie, browser)."""
    user = request.user
    expressed = (
        (user.is_authenticated and user.language)
        or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        or browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    )
    return request.LANGUAGE_CODE if expressed else None


def _activate(request, survey, asked):
    """Choose the page's language among the survey's and switch the interface to it."""
    language = choose_language(survey, asked, _reader_language(request))
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return language


def _public(request, template, survey, language, context=None, status=200):
    base = {
        "survey": survey,
        "language": language,
        "languages": language_links(survey, language),
        "title": localized(survey.title, language),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def _with_lang(url, language, **more):
    return f"{url}?{urlencode({'lang': language, **more})}"


# ---------------------------------------------------------------- the public link


# The blank questions of a survey in one language are the same for every respondent and the
# costliest part of the page (every option of every item); they are rendered once and kept, under a
# key made of everything they show, so an edited item or a new translation is a new key.
BLANK_QUESTIONS_SECONDS = 3600


def _blank_questions_html(items, specs, language):
    fields = ("pk", "position", "kind", "code", "text", "help_text", "options", "rows")
    fields += ("required", "scale_min", "scale_max", "scale_labels", "number_min", "number_max")
    shown = [[getattr(i, f) for f in (*fields, "show_if")] for i in items]
    digest = hashlib.sha256(json.dumps(shown, default=str, sort_keys=True).encode()).hexdigest()
    key = f"surveys:blank-questions:{language}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "surveys/_public_questions.html", {"questions": questions(items, specs, language)}
        )
        cache.set(key, html, BLANK_QUESTIONS_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output, escaped when rendered)


def _form_page(request, survey, wave, language, device, *, data=None, errors=None, **extra):
    items = services.items_of(survey)
    specs = services.specs_of(items)
    if data is None and not errors:
        shown = {"questions_html": _blank_questions_html(items, specs, language)}
    else:
        shown = {"questions": questions(items, specs, language, data, errors)}
    context = {
        "wave": wave,
        **shown,
        "form_token": services.issue_form_token(wave, device),
        "introduction": localized(survey.introduction, language),
        "action": _with_lang(request.path, language),
        "error_count": len(errors or {}),
        **extra,
    }
    status = 400 if request.method == "POST" else 200
    return _public(request, "surveys/public_answer.html", survey, language, context, status)


def _set_device(response, device):
    response.set_cookie(
        services.DEVICE_COOKIE,
        device,
        max_age=services.DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    survey = get_object_or_404(
        Survey.objects.select_related("municipality__country"), public_token=token
    )
    language = _activate(request, survey, request.GET.get("lang"))
    wave = services.answering_wave(survey)
    if wave is None or not may(request.user, Perm.RESPOND, wave):
        return _public(request, "surveys/public_closed.html", survey, language)
    if request.method == "POST":
        return _submit(request, survey, wave, language)
    device = request.COOKIES.get(services.DEVICE_COOKIE, "")
    fresh = not DEVICE_RE.match(device)
    if fresh:
        device = services.new_device_id()
    if services.has_answered(wave, device):
        return _public(request, "surveys/public_already.html", survey, language)
    code_form = None
    if wave.access == Wave.Access.CODES:
        code = request.GET.get("code", "")
        code_form = CodeForm(initial={"code": code})
        problem = services.code_problem(wave, code) if code else None
        if problem:
            code_form = CodeForm({"code": code})
            code_form.is_valid()
            code_form.add_error("code", services.code_refusal(problem).messages[0])
    response = _form_page(request, survey, wave, language, device, code_form=code_form)
    return _set_device(response, device) if fresh and wave.access == Wave.Access.LINK else response


def _submit(request, survey, wave, language):
    if services.over_rate_limit(wave, ratelimit.client_address(request)):
        return _public(request, "surveys/public_limited.html", survey, language, status=429)
    try:
        form_token = services.read_form_token(wave, request.POST.get("token", ""))
    except services.ResponseRefused as refused:
        context = {"message": refused.messages[0]}
        return _public(request, "surveys/public_refused.html", survey, language, context, 400)
    device = form_token.device_id
    if services.has_answered(wave, device):
        return _set_device(
            _public(request, "surveys/public_already.html", survey, language), device
        )
    data = dict(request.POST.lists())
    items = services.items_of(survey)
    cleaned = clean_answers(services.specs_of(items), data)
    if cleaned.unknown:
        # a tampering signal: logged without anything that identifies the respondent
        logger.warning(
            "survey %s, wave %s: answer fields that match no item: %s",
            survey.pk,
            wave.pk,
            ", ".join(cleaned.unknown[:10]),
        )
    code_form = CodeForm(request.POST) if wave.access == Wave.Access.CODES else None
    code_ok = code_form is None or code_form.is_valid()
    if cleaned.errors or form_token.expired or not code_ok:
        expired = form_token.expired and not cleaned.errors
        return _form_page(
            request,
            survey,
            wave,
            language,
            device,
            data=data,
            errors=cleaned.errors,
            code_form=code_form,
            expired=expired,
        )
    try:
        services.submit(
            wave,
            cleaned.answers,
            language=survey_language(language),
            device_id=device,
            code=code_form.cleaned_data["code"] if code_form else "",
        )
    except services.ResponseRefused as refused:
        if refused.code == services.ALREADY_ANSWERED:
            page = _public(request, "surveys/public_already.html", survey, language)
            return _set_device(page, device)
        if refused.code == services.NOT_OPEN:
            return _public(request, "surveys/public_closed.html", survey, language)
        code_form.add_error("code", refused.messages[0])
        return _form_page(request, survey, wave, language, device, data=data, code_form=code_form)
    done = redirect(
        _with_lang(reverse("surveys:answer_done", args=[survey.public_token]), language)
    )
    return _set_device(done, device) if wave.access == Wave.Access.LINK else done


@never_cache
def answer_done(request, token):
    survey = get_object_or_404(
        Survey.objects.select_related("municipality__country"), public_token=token
    )
    language = _activate(request, survey, request.GET.get("lang"))
    context = {"thanks": localized(survey.thanks, language)}
    return _public(request, "surveys/public_thanks.html", survey, language, context)


# ---------------------------------------------------------------- paper


def _staff_wave(request, pk, wave_pk):
    survey = survey_for(request, pk, Perm.ENTER_RESPONSES)
    wave = get_object_or_404(survey.waves.all(), pk=wave_pk)
    wave.survey = survey  # already loaded
    return survey, wave


@login_required
def paper_pdf(request, pk, wave_pk):
    # WeasyPrint loads Pango and its fonts on import: only when a PDF is asked for
    from weasyprint import HTML

    survey, wave = _staff_wave(request, pk, wave_pk)
    language = choose_language(survey, request.GET.get("lang"), None)
    items = services.items_of(survey)
    with translation.override(language):
        html = render_to_string(
            "surveys/paper_pdf.html",
            {
                "survey": survey,
                "wave": wave,
                "title": localized(survey.title, language),
                "introduction": localized(survey.introduction, language),
                "thanks": localized(survey.thanks, language),
                "questions": questions(items, services.specs_of(items), language),
                "language": language,
            },
            request=request,
        )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{localized(survey.title, 'en')} {wave.name} {language}") or "questionnaire"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _paper_page(request, survey, wave, form, language, data=None, errors=None, status=200):
    items = services.items_of(survey)
    recent = services.recent_paper(wave)
    for response in recent:
        response.language_name = SURVEY_LANGUAGE_NAMES.get(response.language, response.language)
        # a correction: by whoever typed it in, or the survey's coordinator and management
        response.may_delete = may(request.user, Perm.ENTER_RESPONSES, response)
    context = {
        "wave": wave,
        "form": form,
        "language": language,
        "questions": questions(items, services.specs_of(items), language, data, errors),
        "entered": services.paper_count(wave),
        "recent": recent,
        "pdf_languages": language_links(survey, language),
        "error_count": len(errors or {}),
    }
    # the page of a wave: under the tab of the waves
    return render_survey(request, "surveys/paper_entry.html", survey, "waves", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk, wave_pk):
    survey, wave = _staff_wave(request, pk, wave_pk)
    asked = request.POST.get("language") or request.GET.get("language")
    language = choose_language(survey, asked, None)
    if request.method != "POST":
        form = PaperForm(initial={"language": language}, survey=survey)
        return _paper_page(request, survey, wave, form, language)
    form = PaperForm(request.POST, survey=survey)
    data = dict(request.POST.lists())
    items = services.items_of(survey)
    cleaned = clean_answers(services.specs_of(items), data)
    if form.is_valid() and cleaned.ok:
        try:
            saved = services.enter_paper(
                wave,
                request.user,
                cleaned.answers,
                language=survey_language(form.cleaned_data["language"]),
                paper_number=form.cleaned_data["paper_number"],
            )
        except services.ResponseRefused as refused:
            form.add_error(
                "paper_number" if refused.code == services.NUMBER_TAKEN else None, refused
            )
        else:
            if saved.paper_number:
                text = _("Questionnaire %(number)s is saved. Type in the next one.")
                messages.success(request, text % {"number": saved.paper_number})
            else:
                messages.success(request, _("The questionnaire is saved. Type in the next one."))
            url = reverse("surveys:paper_entry", args=[survey.pk, wave.pk])
            return redirect(f"{url}?{urlencode({'language': form.cleaned_data['language']})}")
    return _paper_page(request, survey, wave, form, language, data, cleaned.errors, status=400)


@login_required
@require_POST
def paper_delete(request, pk, wave_pk, response_pk):
    response = get_or_deny(
        request.user,
        Perm.ENTER_RESPONSES,
        Response.objects.select_related("wave__survey"),
        pk=response_pk,
        wave_id=wave_pk,
        wave__survey_id=pk,
    )
    try:
        services.delete_paper(response)
    except services.ResponseRefused as refused:
        messages.error(request, refused.messages[0])
    else:
        if response.paper_number:
            text = _("Questionnaire %(number)s is deleted; type it in again if needed.")
            messages.success(request, text % {"number": response.paper_number})
        else:
            messages.success(
                request, _("The questionnaire is deleted; type it in again if needed.")
            )
    url = reverse("surveys:paper_entry", args=[pk, wave_pk])
    language = request.POST.get("language", "")
    return redirect(f"{url}?{urlencode({'language': language})}" if language else url)
