"""Building a survey (issue 12, item 3): a municipality's surveys, the questionnaire and its
items, translations, preview and versions. Its waves are in `waves`; its public link, QR code,
poster and one-time codes in `link`. Every change asks for Perm.MANAGE_SURVEY and goes through
services.builder; pages that only show ask for Perm.VIEW."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm, get_or_deny, may, surveys_visible_to
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.texts import localized
from mreza.core.versioning import EditConflict
from mreza.registry.models import Municipality
from mreza.surveys.forms.builder import LANGUAGE_NAMES, NewSurveyForm, SurveyForm
from mreza.surveys.forms.items import ItemForm, TranslationForm
from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services import builder as services
from mreza.surveys.views import (
    display_language,
    item_display,
    refusal_message,
    render_survey,
    survey_for,
    survey_title,
)

# ---------------------------------------------------------------- surveys


@login_required
def survey_list(request, code):
    municipality = get_or_deny(
        request.user, Perm.VIEW, Municipality.objects.select_related("country"), code=code
    )
    responses = (
        Response.objects.filter(wave__survey=OuterRef("pk")).order_by().values("wave__survey")
    )
    surveys = (
        surveys_visible_to(request.user, Survey.objects.filter(municipality=municipality))
        .select_related("workspace")
        .annotate(
            responses=Subquery(responses.annotate(n=Count("id")).values("n")[:1]),
            open_waves=Count("waves", filter=Q(waves__status=Wave.Status.OPEN), distinct=True),
            newer=Count("next_versions", distinct=True),
        )
        .order_by("-created_at", "id")
    )
    return render(
        request,
        "surveys/survey_list.html",
        {
            "municipality": municipality,
            "surveys": [(s, survey_title(s)) for s in surveys],
            "may_create": may(request.user, Perm.MANAGE_SURVEY, municipality),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request, code):
    municipality = get_or_deny(
        request.user, Perm.MANAGE_SURVEY, Municipality.objects.select_related("country"), code=code
    )
    form = NewSurveyForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = services.create_survey(
            municipality,
            request.user,
            languages=data["languages"],
            template=data["template"],
            title={data["languages"][0]: data["title"]} if data["title"] else None,
            workspace=data["workspace"],
        )
        messages.success(
            request, _("The survey is made. Check its questions, then add a wave to open it.")
        )
        return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/survey_new.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def survey_detail(request, pk):
    survey = survey_for(request, pk)
    items = list(survey.items.order_by("position", "id"))
    by_code = {i.code: i for i in items}
    language = display_language(survey)
    return render_survey(
        request,
        "surveys/survey_detail.html",
        survey,
        "questions",
        {
            "items": [item_display(i, language, by_code) for i in items],
            "frozen": services.is_frozen(survey),
            "newer": services.newer_version(survey),
            "missing": [
                (LANGUAGE_NAMES.get(code, code), gaps)
                for code, gaps in services.missing_translations(survey, items).items()
            ],
            "kinds": Item.Kind.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    template = "surveys/survey_edit.html"
    form = SurveyForm(request.POST or None, survey=survey, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(survey, form.values(), form.cleaned_data["version"] or 0)
        except EditConflict:
            fresh = survey_for(request, pk, Perm.MANAGE_SURVEY)
            form = stale_form(
                request, lambda data: SurveyForm(data, survey=fresh, user=request.user), fresh
            )
            return conflict_response(
                request, template, {"survey": fresh, "form": form, "tab": "settings"}
            )
        messages.success(request, _("Saved."))
        return redirect("surveys:detail", pk=survey.pk)
    return render_survey(
        request,
        template,
        survey,
        "settings",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def new_version(request, pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    try:
        copy = services.new_version(survey, request.user)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal_message(refusal))
        return redirect("surveys:detail", pk=survey.pk)
    messages.success(
        request,
        _(
            "The new version is made with the same questions; change them here. It now answers "
            "the public link and the QR code; the old version's open wave is closed."
        ),
    )
    return redirect("surveys:detail", pk=copy.pk)


# ---------------------------------------------------------------- items


def _items(survey):
    return list(survey.items.order_by("position", "id"))


def _refused_if_frozen(request, survey):
    """A redirect to the survey page with the reason when its questions are frozen, else None."""
    if services.is_frozen(survey):
        messages.error(
            request,
            _(
                "This survey already has answers, so its questions can no longer change (the "
                "answers would not compare). Make a new version of the survey instead."
            ),
        )
        return redirect("surveys:detail", pk=survey.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, pk, kind):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    if kind not in Item.Kind.values:
        raise Http404
    refused = _refused_if_frozen(request, survey)
    if refused:
        return refused
    form = ItemForm(request.POST or None, survey=survey, kind=kind, items=_items(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_item(survey, form.values())
        except services.SurveyRefused as refusal:
            messages.error(request, refusal_message(refusal))
            return redirect("surveys:detail", pk=survey.pk)
        messages.success(request, _("The question is added."))
        return redirect("surveys:detail", pk=survey.pk)
    return render_survey(
        request,
        "surveys/builder_item_form.html",
        survey,
        "questions",
        {"form": form, "kind": kind, "kind_label": Item.Kind(kind).label},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    instance = get_object_or_404(Item, survey=survey, pk=item)
    refused = _refused_if_frozen(request, survey)
    if refused:
        return refused
    template = "surveys/builder_item_form.html"
    items = _items(survey)

    def make(data, one=instance):
        return ItemForm(data, survey=survey, kind=one.kind, item=one, items=items)

    form = make(request.POST or None)
    context = {"kind": instance.kind, "kind_label": instance.get_kind_display(), "item": instance}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(instance, form.values(), form.cleaned_data["version"] or 0)
        except EditConflict:
            fresh = Item.objects.get(pk=instance.pk)
            form = stale_form(request, lambda data: make(data, fresh), fresh)
            return conflict_response(
                request, template, {**context, "survey": survey, "form": form, "item": fresh}
            )
        except services.SurveyRefused as refusal:
            messages.error(request, refusal_message(refusal))
            return redirect("surveys:detail", pk=survey.pk)
        messages.success(request, _("Saved."))
        return redirect("surveys:detail", pk=survey.pk)
    return render_survey(
        request,
        template,
        survey,
        "questions",
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def item_delete(request, pk, item):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    one = get_object_or_404(Item, survey=survey, pk=item)
    try:
        services.delete_item(one)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal_message(refusal))
    else:
        messages.success(request, _("The question “%(code)s” is deleted.") % {"code": one.code})
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def item_move(request, pk, item):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    one = get_object_or_404(Item, survey=survey, pk=item)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is not None:
        try:
            services.move_item(one, step)
        except services.SurveyRefused as refusal:
            messages.error(request, refusal_message(refusal))
    return redirect(reverse("surveys:detail", args=[survey.pk]) + f"#item-{one.pk}")


# ---------------------------------------------------------------- translations and preview


@login_required
@require_http_methods(["GET", "POST"])
def translations(request, pk):
    """Every text in one of the survey's other languages next to the main language's."""
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    items = _items(survey)
    others = survey.languages[1:]
    missing = services.missing_translations(survey, items)
    asked = request.GET.get("language")
    language = asked if asked in others else next((c for c in others if c in missing), None)
    if language is None and others:
        language = others[0]
    frozen = services.is_frozen(survey)
    form = None
    if language is not None:
        form = TranslationForm(
            request.POST or None, survey=survey, items=items, language=language, frozen=frozen
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.save_translation(survey, language, form.survey_texts(), form.item_texts())
            except services.SurveyRefused as refusal:
                messages.error(request, refusal_message(refusal))
            else:
                messages.success(request, _("Saved."))
            return redirect(f"{request.path}?language={language}")
    return render_survey(
        request,
        "surveys/survey_translations.html",
        survey,
        "translations",
        {
            "form": form,
            "language": language,
            "language_name": LANGUAGE_NAMES.get(language, language),
            "main_name": LANGUAGE_NAMES.get((survey.languages or ["en"])[0]),
            "languages": [
                (code, LANGUAGE_NAMES.get(code, code), len(missing.get(code, [])))
                for code in others
            ],
            "frozen": frozen,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def preview_languages(survey):
    """[(UI language, name)]: each language of the survey, Serbian in both scripts."""
    choices = []
    for code in survey.languages:
        if code == "sr":
            choices += [("sr", _("Serbian (Cyrillic)")), ("sr-latn", _("Serbian (Latin)"))]
        else:
            choices.append((code, LANGUAGE_NAMES.get(code, code)))
    return choices


@login_required
def preview(request, pk):
    """The questionnaire as a respondent sees it, in any of its languages (nothing is saved)."""
    survey = survey_for(request, pk)
    choices = preview_languages(survey)
    asked = request.GET.get("language")
    language = asked if asked in dict(choices) else choices[0][0] if choices else "en"
    items = _items(survey)
    by_code = {i.code: i for i in items}
    return render_survey(
        request,
        "surveys/survey_preview.html",
        survey,
        "preview",
        {
            "language": language,
            "choices": choices,
            "title": localized(survey.title, language),
            "introduction": localized(survey.introduction, language),
            "thanks": localized(survey.thanks, language),
            "items": [item_display(i, language, by_code) for i in items],
        },
    )
