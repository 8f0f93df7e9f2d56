"""Progress figures of a workspace and across the workspaces a coordinator runs (issue 11, item 8).

`figures(ids)` computes everything for any number of workspaces in a fixed number of grouped
queries (activities, meetings, attendance, members, indicators, measured values), so the pages
cost the same whether a network has five activities or five hundred.
"""

import io
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mreza.core import exports
from mreza.core.access import (
    Perm,
    workspaces_run_by,
)
from mreza.core.texts import localized
from mreza.progress import charts
from mreza.progress.models import Activity, Attendance, Indicator, Measurement, Meeting, Workspace
from mreza.progress.models import WorkspaceMember as Member
from mreza.progress.views.common import render_workspace, workspace_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN = (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)


def chart_number(value):
    rounded = round(float(value), 1)
    return number_format(rounded, decimal_pos=0 if rounded.is_integer() else 1)


def chart_date(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def percent(share):
    return "—" if share is None else f"{number_format(round(share * 100), decimal_pos=0)} %"


@dataclass
class IndicatorFigure:
    indicator: Indicator
    latest: float | None = None  # network-wide: the newest value; per member: their mean
    share: float | None = None  # 0..1 toward the target
    per_member: list = field(default_factory=list)  # [(member, newest value, share)]


@dataclass
class Figures:
    activities: int = 0  # in the plan, cancelled ones not counted
    done: int = 0
    overdue: int = 0
    meetings_planned: int = 0  # not cancelled
    meetings_due: int = 0  # not cancelled and already begun
    meetings_held: int = 0
    members: list = field(default_factory=list)  # [(member, meetings attended, rate)]
    indicators: list = field(default_factory=list)

    @property
    def done_share(self):
        return self.done / self.activities if self.activities else None

    @property
    def held_share(self):
        return self.meetings_held / self.meetings_due if self.meetings_due else None

    @property
    def indicator_share(self):
        shares = [f.share for f in self.indicators if f.share is not None]
        return sum(shares) / len(shares) if shares else None


def figures(workspace_ids, today=None, now=None, *, members=None, attendance=True, rows=None):
    """{workspace id: Figures} for the given workspaces, in six queries however many.

    A page that has the members already passes them (`members`: every member of the workspaces,
    also those that left); one that shows no attendance rates says `attendance=False`: two
    queries fewer (the workspace home). `rows`: what `figure_rows` read, when the page has them
    already (the workspace home keeps them in the cache, `caching.home_figure_rows`)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    ids = list(workspace_ids)
    result = {pk: Figures() for pk in ids}
    if not ids:
        return result
    if rows is None:
        rows = figure_rows(ids, today, now, attendance=attendance)
    for pk, (total, done, overdue) in rows["activities"].items():
        one = result[pk]
        one.activities, one.done, one.overdue = total, done, overdue
    for pk, (total, due, held) in rows["meetings"].items():
        one = result[pk]
        one.meetings_planned, one.meetings_due, one.meetings_held = total, due, held
    attended = rows["attended"]
    if members is None:
        members = Member.objects.filter(workspace_id__in=ids).select_related("municipality")
    for member in members:
        one = result[member.workspace_id]
        n = attended.get(member.pk, 0)
        rate = n / one.meetings_held if attendance and one.meetings_held else None
        one.members.append((member, n, rate))
    _indicator_figures(rows["indicators"], rows["newest"], result)
    return result


def figure_rows(ids, today, now, *, attendance=True):
    """What the figures of the workspaces `ids` are made of, as read from the database: plain
    values and indicator rows, nothing of the reader (the workspace home caches them). Also
    `next_start`: when the next meeting begins, from which on "meetings due" counts one more."""
    open_ = Q(status__in=OPEN)
    activities = {
        row["workspace_id"]: (row["total"], row["done"], row["overdue"])
        for row in Activity.objects.filter(workspace_id__in=ids)
        .exclude(status=Activity.Status.CANCELLED)
        .values("workspace_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Activity.Status.DONE)),
            overdue=Count("id", filter=open_ & Q(due_on__lt=today)),
        )
        .order_by()
    }
    meetings, next_start = {}, None
    for row in (
        Meeting.objects.filter(workspace_id__in=ids)
        .exclude(status=Meeting.Status.CANCELLED)
        .values("workspace_id")
        .annotate(
            total=Count("id"),
            due=Count("id", filter=Q(starts_at__lt=now)),
            held=Count("id", filter=Q(status=Meeting.Status.HELD)),
            next_start=Min("starts_at", filter=Q(starts_at__gte=now)),
        )
        .order_by()
    ):
        meetings[row["workspace_id"]] = (row["total"], row["due"], row["held"])
        if row["next_start"] and (next_start is None or row["next_start"] < next_start):
            next_start = row["next_start"]
    attended = (
        {
            row["member_id"]: row["n"]
            for row in Attendance.objects.filter(
                meeting__workspace_id__in=ids,
                meeting__status=Meeting.Status.HELD,
                status=Attendance.Status.PRESENT,
            )
            .values("member_id")
            .annotate(n=Count("meeting_id", distinct=True))
            .order_by()
        }
        if attendance
        else {}
    )
    indicators = list(
        Indicator.objects.filter(goal__workspace_id__in=ids)
        .select_related("goal")
        .order_by("goal__order", "goal_id", "id")
    )
    newest = {}  # (indicator id, member id or None) -> value; the rows come oldest first
    for indicator_id, member_id, value in (
        Measurement.objects.filter(indicator__in=[i.pk for i in indicators])
        .order_by("measured_on", "id")
        .values_list("indicator_id", "member_id", "value")
    ):
        newest[(indicator_id, member_id)] = value
    return {
        "activities": activities,
        "meetings": meetings,
        "next_start": next_start,
        "attended": attended,
        "indicators": indicators,
        "newest": newest,
    }


def _indicator_figures(indicators, newest, result):
    for indicator in indicators:
        one = result[indicator.goal.workspace_id]
        figure = IndicatorFigure(indicator)
        if indicator.scope == Indicator.Scope.NETWORK:
            figure.latest = newest.get((indicator.pk, None))
            figure.share = charts.share_of_target(
                indicator.baseline, indicator.target, figure.latest
            )
        else:
            for member, _n, _rate in one.members:
                value = newest.get((indicator.pk, member.pk))
                if value is not None:
                    share = charts.share_of_target(indicator.baseline, indicator.target, value)
                    figure.per_member.append((member, value, share))
            if figure.per_member:
                figure.latest = sum(float(v) for _m, v, _s in figure.per_member) / len(
                    figure.per_member
                )
                figure.share = sum(s for _m, _v, s in figure.per_member) / len(figure.per_member)
        one.indicators.append(figure)


def figure_charts(one):
    """The SVG charts of one workspace's figures: attendance per member, indicators toward
    target."""
    attendance = charts.share_bars_svg(
        [(str(member), rate, percent(rate)) for member, _n, rate in one.members],
        title=_("Attendance per member"),
        desc=_("Share of the meetings held at which each member was present."),
    )
    indicators = charts.share_bars_svg(
        [(f.indicator.name, f.share, percent(f.share)) for f in one.indicators],
        title=_("Indicators toward their targets"),
        desc=_("How far each indicator has come from its baseline to its target."),
    )
    return {"attendance_svg": attendance, "indicators_svg": indicators, "plan_svg": plan_chart(one)}


def plan_chart(one):
    """The SVG bars of activities done and meetings held (the workspace home shows only this)."""
    return charts.share_bars_svg(
        [
            (_("Activities done"), one.done_share, percent(one.done_share)),
            (_("Meetings held of those due"), one.held_share, percent(one.held_share)),
        ],
        title=_("Plan and meetings"),
        desc=_("Share of the activities done and of the meetings due that were held."),
        late=[one.overdue > 0, False],
    )


@workspace_view(Perm.VIEW_PLAN)
def progress(request, workspace):
    one = figures([workspace.pk])[workspace.pk]
    return render_workspace(
        request,
        "progress/progress/progress.html",
        workspace,
        "progress",
        {"figures": one, **figure_charts(one)},
    )


def _sheet(workbook, title, header):
    sheet = workbook.create_sheet(title[:31])
    exports.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    return sheet


def _ratio(share):
    return None if share is None else round(share, 4)


def _workbook_response(workbook, name):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _summary_header():
    return [
        _("Workspace"),
        _("Activities"),
        _("Done"),
        _("Share done"),
        _("Overdue"),
        _("Meetings planned"),
        _("Meetings due"),
        _("Meetings held"),
        _("Indicators toward target"),
    ]


def _summary_row(workspace, one):
    return [
        workspace.title,
        one.activities,
        one.done,
        _ratio(one.done_share),
        one.overdue,
        one.meetings_planned,
        one.meetings_due,
        one.meetings_held,
        _ratio(one.indicator_share),
    ]


@workspace_view(Perm.VIEW_PLAN)
def progress_xlsx(request, workspace):
    one = figures([workspace.pk])[workspace.pk]
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = _sheet(workbook, _("Progress"), _summary_header())
    exports.append(summary, _summary_row(workspace, one))
    members = _sheet(
        workbook, _("Attendance"), [_("Member"), _("Meetings attended"), _("Attendance rate")]
    )
    for member, n, rate in one.members:
        exports.append(members, [str(member), n, _ratio(rate)])
    indicators = _sheet(
        workbook,
        _("Indicators"),
        [
            _("Goal"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Target"),
            _("Member"),
            _("Latest value"),
            _("Toward target"),
        ],
    )
    for f in one.indicators:
        head = [f.indicator.goal.title, f.indicator.name, f.indicator.unit]
        head += [f.indicator.baseline, f.indicator.target]
        if f.per_member:
            for member, value, share in f.per_member:
                exports.append(indicators, [*head, str(member), value, _ratio(share)])
        else:
            exports.append(indicators, [*head, "", f.latest, _ratio(f.share)])
    name = f"{slugify(workspace.title) or 'workspace'}-{slugify(_('progress')) or 'progress'}"
    return _workbook_response(workbook, name)


def coordinated_workspaces(user):
    """The workspaces the user runs, with what their rows show."""
    return workspaces_run_by(user, Workspace.objects.all()).select_related(
        "organisation", "framework"
    )


def _all_rows(user):
    workspaces = list(coordinated_workspaces(user).order_by("title", "id"))
    numbers = figures([w.pk for w in workspaces])
    return [(w, numbers[w.pk]) for w in workspaces]


@login_required
def progress_all(request):
    rows = _all_rows(request.user)
    return render(request, "progress/progress/all.html", {"rows": rows})


@login_required
def progress_all_xlsx(request):
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, _("Progress"), _summary_header())
    for workspace, one in _all_rows(request.user):
        exports.append(sheet, _summary_row(workspace, one))
    return _workbook_response(workbook, slugify(_("progress")) or "progress")


def area_name(workspace, subcriteria):
    """The workspace's theme in the reader's language ("3.1 People management..."), from
    `subcriteria` {(framework id, code): Subcriterion}."""
    sub = subcriteria.get((workspace.framework_id, workspace.area))
    if sub is None:
        return workspace.area
    return f"{sub.code} {localized(sub.title)}"
