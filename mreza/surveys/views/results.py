"""Results of a survey: the page (a wave, optionally compared with another, optionally broken down
by a demographic item), its PDF, the public results page, and the anonymous responses as CSV and
XLSX with their codebook.

Who sees what is the policy's: VIEW opens the results (texts only for EXPORT_RESPONSES holders),
EXPORT_RESPONSES downloads the responses. The public page (`/s/<token>/results/`) exists only
while the survey's results are public; it shows closed waves only (an open wave's numbers would
change with each answer, so two looks could reveal one person's answers), never texts, and
withholds any item answered fewer than five times. Readers from outside the municipality (a
workspace's runners; anybody once the results are public) see the results page the same way.
"""

import csv
import functools
import io

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from mreza.core import exports
from mreza.core.access import Perm, get_or_deny, may
from mreza.core.decorators import sign_in_when_anonymous
from mreza.core.languages import browser_language
from mreza.core.templatetags.mreza import script
from mreza.core.texts import localized
from mreza.surveys import charts
from mreza.surveys.forms.public import choose_language, language_links
from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services import breakdowns, comparisons, wording
from mreza.surveys.services import results as services
from mreza.surveys.views import render_survey, survey_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SURVEYS = Survey.objects.select_related("municipality__country", "workspace", "previous_version")
CHOICES = (Item.Kind.SINGLE, Item.Kind.MULTIPLE)


def results_view(perm):
    """The survey of `/surveys/<pk>/...` through the policy (404 if not visible, 403 if visible
    but not `perm`); an anonymous visitor who may not see it is sent to sign in."""

    def decorate(view):
        @sign_in_when_anonymous
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            return view(request, survey_for(request, pk, perm), *args, **kwargs)

        return wrapper

    return decorate


# --------------------------------------------------------------------------- charts


def _value_text(count, share):
    if share is None:
        return number_format(count)
    return f"{number_format(count)} · {wording.percent(share)}"


def _mean_text(value):
    return wording.decimal(value, 1)


def _distribution(result, other, names):
    bars = [(script(b.label), b.count, b.share) for b in result.bars]
    previous = None
    if other is not None and other.bars and result.kind != Item.Kind.NUMBER:
        shares = {b.key: b.share for b in other.bars}
        previous = [shares.get(b.key) for b in result.bars]
    intervals = [(b.ci_low, b.ci_high) for b in result.bars] if result.kind in CHOICES else None
    return charts.distribution_svg(
        bars,
        title=script(result.question),
        desc="; ".join(f"{label}: {_value_text(count, share)}" for label, count, share in bars),
        previous=previous,
        intervals=intervals,
        series_labels=names,
        value_text=_value_text,
        share_format=wording.percent,
    )


def _means(rows, previous, low, high, title, names):
    """rows: (label, Summary); previous: the same labels' Summary in the compared wave or None."""
    shown = [(label, s.mean, s.ci_low, s.ci_high) for label, s in rows]
    desc = "; ".join(
        _("%(label)s: mean %(mean)s (95 %% interval %(low)s – %(high)s), %(n)s answers")
        % {
            "label": label,
            "mean": _mean_text(s.mean),
            "low": _mean_text(s.ci_low),
            "high": _mean_text(s.ci_high),
            "n": number_format(s.n),
        }
        for label, s in rows
    )
    return charts.means_svg(
        shown,
        low=low,
        high=high,
        title=title,
        desc=desc,
        previous=None
        if previous is None
        else [
            (label, s.mean, s.ci_low, s.ci_high) if s else (label, None, None, None)
            for label, s in previous
        ],
        series_labels=names,
        value_format=_mean_text,
    )


def _chart(result, other, names):
    if result.withheld or result.kind == Item.Kind.TEXT:
        return ""
    if result.kind == Item.Kind.MATRIX:
        if not result.rows:
            return ""
        earlier = {row.code: row.summary for row in other.rows} if other is not None else None
        previous = (
            [(script(row.label), earlier.get(row.code)) for row in result.rows]
            if earlier is not None
            else None
        )
        rows = [(script(row.label), row.summary) for row in result.rows]
        item = result.item
        title = script(result.question)
        return _means(rows, previous, item.scale_min, item.scale_max, title, names)
    return _distribution(result, other, names) if result.bars else ""


def _breakdown_chart(entry):
    item = entry.result.item
    groups = [
        (script(group.label), r.summary) for group, r in entry.groups if r.summary is not None
    ]
    if not groups or item.kind not in (Item.Kind.SCALE, Item.Kind.NUMBER):
        return ""
    if item.kind == Item.Kind.SCALE:
        low, high = item.scale_min, item.scale_max
    else:
        values = [v for _label, s in groups for v in (s.ci_low, s.ci_high, s.mean)]
        values = [v for v in values if v is not None] or [0.0, 1.0]
        low, high = min(values), max(values)
        high = high if high > low else low + 1
    return _means(groups, None, low, high, script(entry.result.question), ("", ""))


# --------------------------------------------------------------------------- the page


def _picked(request, name, waves):
    value = request.GET.get(name, "")
    return next((wave for wave in waves if str(wave.pk) == value), None)


def _context(request, survey, *, public):
    waves = services.comparable_waves(survey, closed_only=public)
    context = {"survey": survey, "waves": waves, "public": public, "wave": None}
    wave = _picked(request, "wave", waves) or next(
        (w for w in reversed(waves) if w.responses_count), waves[-1] if waves else None
    )
    if wave is None:
        return context
    compare = _picked(request, "compare", waves)
    compare = None if compare == wave else compare
    language = translation.get_language()
    texts = not public and may(request.user, Perm.EXPORT_RESPONSES, survey)
    minimum = services.MIN_GROUP if public else 0
    items = list(wave.survey.items.all())
    current = services.wave_results(
        wave, language=language, texts=texts, min_answers=minimum, items=items
    )
    other, compared = None, {}
    if compare is not None:
        same = compare.survey_id == wave.survey_id
        other = services.wave_results(
            compare, language=language, min_answers=minimum, items=items if same else None
        )
        earlier = waves.index(compare) < waves.index(wave)
        before, after = (other, current) if earlier else (current, other)
        compared = {c.code: c for c in comparisons.compare_results(before, after)}
    names = (script(wave.name), script(compare.name) if compare else "")
    previous = {r.code: r for r in other.items} if other is not None else {}
    items = [
        {
            "result": result,
            "chart": _chart(result, previous.get(result.code), names),
            "comparison": compared.get(result.code),
        }
        for result in current.items
    ]
    by = request.GET.get("by", "")
    split = breakdowns.breakdown(current, by, min_answers=minimum) if current.responses else None
    breakdown_items = (
        [{"entry": e, "chart": _breakdown_chart(e)} for e in split.items] if split else []
    )
    context.update(
        wave=wave,
        compare=compare,
        results=current,
        items=items,
        breakdown=split,
        breakdown_items=breakdown_items,
        may_export=not public and may(request.user, Perm.EXPORT_RESPONSES, survey),
        min_group=services.MIN_GROUP,
        min_answers=services.statistics.MIN_ANSWERS,
        texts_shown=services.TEXTS_SHOWN,
    )
    if compare is not None:
        context["before"], context["after"] = (compare, wave) if earlier else (wave, compare)
    return context


def _limited(request, survey):
    """Whether the reader sees the survey only from outside the municipality (a workspace's
    runner, or anybody once the results are public): then as on the public page."""
    return not may(request.user, Perm.ENTER_RESPONSES, survey)


@results_view(Perm.VIEW)
def results(request, survey):
    context = _context(request, survey, public=_limited(request, survey))
    context["query"] = request.GET.urlencode()
    return render_survey(request, "surveys/results.html", survey, "results", context)


def _reader_language(request):
    """The site's language if this reader chose one (account, cookie, browser), else None."""
    user = request.user
    expressed = (
        (user.is_authenticated and user.language)
        or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        or browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    )
    return request.LANGUAGE_CODE if expressed else None


def public_results(request, token):
    survey = get_or_deny(
        request.user, Perm.VIEW, SURVEYS.filter(results_public=True), public_token=token
    )
    # the languages of the survey only, chosen as on its public answer page (?lang=)
    language = choose_language(survey, request.GET.get("lang"), _reader_language(request))
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    context = _context(request, survey, public=True)
    context.update(
        languages=language_links(survey, language),
        title=localized(survey.title, language),
        language=language,
    )
    return render(request, "surveys/results_public.html", context)


@results_view(Perm.VIEW)
def results_pdf(request, survey):
    # WeasyPrint loads Pango and its fonts on import: only when a PDF is asked for
    from weasyprint import HTML

    context = _context(request, survey, public=_limited(request, survey))
    context["today"] = timezone.localdate()
    html = render_to_string("surveys/results_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.pdf"'
    return response


# --------------------------------------------------------------------------- exports


def _columns(items):
    """(column name, item, matrix row or option code) for every exported column."""
    for item in items:
        if item.kind == Item.Kind.MATRIX:
            yield from ((f"{item.code}.{row['code']}", item, row["code"]) for row in item.rows)
        elif item.kind == Item.Kind.MULTIPLE:
            yield from ((f"{item.code}.{code}", item, code) for code in services.codes_of(item))
        elif item.kind != Item.Kind.SECTION:
            yield item.code, item, None


def _cell(item, part, answers):
    value = answers.get(item.code)
    if item.kind == Item.Kind.SCALE:
        return services.scale_value(value, item.scale_min, item.scale_max)
    if item.kind == Item.Kind.MATRIX:
        if not isinstance(value, dict):
            return None
        return services.scale_value(value.get(part), item.scale_min, item.scale_max)
    if item.kind == Item.Kind.MULTIPLE:
        return (1 if part in value else 0) if isinstance(value, list) else None
    if item.kind == Item.Kind.NUMBER:
        return services.number_value(value, item.number_min, item.number_max)
    if item.kind == Item.Kind.SINGLE:
        return value if value in services.codes_of(item) else None
    return value if isinstance(value, str) else None


def _table(wave):
    """The header and one row per response: a running number, never an id (nothing that could
    be matched with anything outside the file), the language, the channel, the day, the answers."""
    columns = list(_columns(list(wave.survey.items.all())))
    header = ["number", "language", "channel", "day", *(name for name, _i, _p in columns)]
    responses = wave.responses.order_by("submitted_on", "id").values_list(
        "answers", "language", "channel", "submitted_on"
    )
    rows = [
        [
            number,
            language,
            channel,
            day,
            *(_cell(i, p, answers if isinstance(answers, dict) else {}) for _n, i, p in columns),
        ]
        for number, (answers, language, channel, day) in enumerate(responses, start=1)
    ]
    return header, rows, columns


def _values(item, part, language):
    if item.kind in (Item.Kind.SCALE, Item.Kind.MATRIX):
        labels = item.scale_labels if isinstance(item.scale_labels, dict) else {}
        ends = {item.scale_min: labels.get("min"), item.scale_max: labels.get("max")}
        return "; ".join(
            f"{v} = {localized(ends[v], language)}" if ends.get(v) else str(v)
            for v in range(item.scale_min, item.scale_max + 1)
        )
    if item.kind == Item.Kind.MULTIPLE:
        return _("1 = chosen; 0 = not chosen; empty = not answered")
    if item.kind == Item.Kind.SINGLE:
        return "; ".join(
            f"{o['code']} = {localized(o.get('text'), language)}" for o in item.options
        )
    if item.kind == Item.Kind.NUMBER:
        low, high = (
            "" if bound is None else number_format(bound.normalize() + 0, use_l10n=True)
            for bound in (item.number_min, item.number_max)
        )
        return _("a number from %(low)s to %(high)s") % {"low": low, "high": high}
    return _("free text")


def _codebook(survey, columns, language):
    kinds = dict(Item.Kind.choices)
    channels = "; ".join(f"{code} = {name}" for code, name in Response.Channel.choices)
    header = [_("Column"), _("Question"), _("Type"), _("Values")]
    rows = [
        ["number", _("Running number of the response in this file"), _("number"), ""],
        ["language", _("Language of the questionnaire"), _("code"), ", ".join(survey.languages)],
        ["channel", _("How the questionnaire was answered"), _("code"), channels],
        ["day", _("Day of the answers"), _("date"), "YYYY-MM-DD"],
    ]
    for name, item, part in columns:
        question = localized(item.text, language)
        parts = item.rows if item.kind == Item.Kind.MATRIX else item.options
        label = next((localized(p.get("text"), language) for p in parts if p["code"] == part), "")
        rows.append(
            [
                name,
                f"{question} — {label}" if label else question,
                str(kinds.get(item.kind, item.kind)),
                _values(item, part, language),
            ]
        )
    return header, rows


def _export(request, survey, wave_pk):
    wave = get_object_or_404(Wave.objects.select_related("survey"), pk=wave_pk, survey=survey)
    header, rows, columns = _table(wave)
    return wave, header, rows, _codebook(survey, columns, translation.get_language())


def _csv(header, rows, name):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(exports.row(header))
    writer.writerows(exports.row(row) for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@results_view(Perm.EXPORT_RESPONSES)
def export_csv(request, survey, wave_pk):
    wave, header, rows, _book = _export(request, survey, wave_pk)
    return _csv(header, rows, f"survey-{survey.pk}-wave-{wave.pk}-responses.csv")


@results_view(Perm.EXPORT_RESPONSES)
def export_codebook(request, survey, wave_pk):
    wave, _header, _rows, (header, rows) = _export(request, survey, wave_pk)
    return _csv(header, rows, f"survey-{survey.pk}-wave-{wave.pk}-codebook.csv")


def _sheet(sheet, header, rows):
    exports.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F5F8")
    for row in rows:
        exports.append(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


@results_view(Perm.EXPORT_RESPONSES)
def export_xlsx(request, survey, wave_pk):
    wave, header, rows, (book_header, book_rows) = _export(request, survey, wave_pk)
    workbook = Workbook()
    responses = workbook.active
    responses.title = _("Responses")[:31]
    _sheet(responses, header, rows)
    codebook = workbook.create_sheet(_("Codebook")[:31])
    _sheet(codebook, book_header, book_rows)
    for letter, width in zip("ABCD", (18, 60, 16, 60), strict=True):
        codebook.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"survey-{survey.pk}-wave-{wave.pk}-responses.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
