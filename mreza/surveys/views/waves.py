"""The waves of a survey (issue 12, item 3): their list with how many answered, a wave's dates and
access, opening and closing it. Changes ask for Perm.MANAGE_SURVEY and go through
services.builder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.versioning import EditConflict
from mreza.surveys.forms.builder import WaveForm
from mreza.surveys.models import Response, Wave
from mreza.surveys.services import builder as services
from mreza.surveys.views import public_url, refusal_message, render_survey, survey_for


def survey_wave(survey, wave_pk):
    """The wave `wave_pk` of `survey` (404 if it is another survey's)."""
    return get_object_or_404(Wave, survey=survey, pk=wave_pk)


@login_required
def waves(request, pk):
    survey = survey_for(request, pk)
    wave_list = list(
        survey.waves.annotate(
            responses_count=Count("responses"),
            paper_count=Count("responses", filter=Q(responses__channel=Response.Channel.PAPER)),
        ).order_by("position", "id")
    )
    counts = services.code_counts(wave_list)
    for wave in wave_list:
        wave.codes = counts.get(wave.pk, {"issued": 0, "used": 0})
        wave.may_reopen = services.may_reopen(
            wave,
            any(w.opened_at and wave.opened_at and w.opened_at > wave.opened_at for w in wave_list),
        )
    return render_survey(
        request,
        "surveys/survey_waves.html",
        survey,
        "waves",
        {
            "waves": wave_list,
            "public_url": public_url(request, survey),
            "open_wave": next((w for w in wave_list if w.status == Wave.Status.OPEN), None),
            "newer": services.newer_version(survey),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wave_edit(request, pk, wave_pk=None):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    instance = survey_wave(survey, wave_pk) if wave_pk else None
    template = "surveys/survey_wave_form.html"
    initial = {"version": instance.version} if instance else {}
    form = WaveForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                services.add_wave(survey, **form.values())
            else:
                services.update_wave(instance, form.values(), form.cleaned_data["version"] or 0)
        except EditConflict:
            fresh = Wave.objects.get(pk=instance.pk)
            form = stale_form(request, lambda data: WaveForm(data, instance=fresh), fresh)
            return conflict_response(
                request, template, {"survey": survey, "form": form, "wave": fresh, "tab": "waves"}
            )
        except services.SurveyRefused as refusal:
            messages.error(request, refusal_message(refusal))
            return redirect("surveys:waves", pk=survey.pk)
        messages.success(request, _("Saved."))
        return redirect("surveys:waves", pk=survey.pk)
    return render_survey(
        request,
        template,
        survey,
        "waves",
        {"form": form, "wave": instance},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def wave_open(request, pk, wave_pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    wave = survey_wave(survey, wave_pk)
    try:
        services.open_wave(wave)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal_message(refusal))
    else:
        messages.success(
            request,
            _("The wave “%(name)s” is open: the public link answers it.") % {"name": wave.name},
        )
    return redirect("surveys:waves", pk=survey.pk)


@login_required
@require_POST
def wave_close(request, pk, wave_pk):
    survey = survey_for(request, pk, Perm.MANAGE_SURVEY)
    wave = survey_wave(survey, wave_pk)
    try:
        services.close_wave(wave)
    except services.SurveyRefused as refusal:
        messages.error(request, refusal_message(refusal))
    else:
        messages.success(request, _("The wave “%(name)s” is closed.") % {"name": wave.name})
    return redirect("surveys:waves", pk=survey.pk)
