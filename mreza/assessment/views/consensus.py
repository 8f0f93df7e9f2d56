from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.assessment import scoring, services
from mreza.assessment.forms import ConsensusForm
from mreza.assessment.models import Consensus, Entry
from mreza.assessment.views import assessment_for, panel_for_display, subcriterion_step
from mreza.core.access import Perm
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.versioning import EditConflict


def _submitted_entries(assessment):
    """Entries of assessors who submitted (the only ones anyone but their author may see)."""
    submitted = assessment.members.filter(submitted_at__isnull=False).values_list(
        "user_id", flat=True
    )
    return Entry.objects.filter(
        assessment=assessment, assessor_id__in=list(submitted)
    ).select_related("assessor")


@login_required
def divergence(request, pk):
    assessment = assessment_for(request, pk, Perm.MANAGE)
    subcriteria = {s.code: s for s in services.subcriteria_of(assessment)}
    values = {code: [] for code in subcriteria}
    for code, score, dont_know in _submitted_entries(assessment).values_list(
        "subcriterion__code", "score", "dont_know"
    ):
        values[code].append(None if dont_know else score)
    ranked = scoring.divergence(values)
    for row in ranked:
        row["subcriterion"] = subcriteria[row["code"]]
    consensus = dict(assessment.consensus.values_list("subcriterion__code", "score"))
    return render(
        request,
        "assessment/divergence.html",
        {
            "assessment": assessment,
            "rows": ranked,
            "consensus": consensus,
            "submitted": assessment.members.filter(submitted_at__isnull=False).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consensus_subcriterion(request, pk, code):
    assessment = assessment_for(request, pk, Perm.MANAGE)
    step = subcriterion_step(assessment, code)
    subcriterion, panel = step["subcriterion"], step["panel"]
    current = Consensus.objects.filter(assessment=assessment, subcriterion=subcriterion).first()
    entries = list(
        _submitted_entries(assessment)
        .filter(subcriterion=subcriterion)
        .order_by("assessor__full_name")
    )
    editable = assessment.status in ("scoring", "consensus")
    form = ConsensusForm(request.POST or None, panel=panel, instance=current)
    status = 200
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.record_consensus(
                assessment,
                subcriterion,
                form.consensus_values(),
                request.user,
                form.cleaned_data.get("version"),
            )
        except EditConflict:
            current = Consensus.objects.get(assessment=assessment, subcriterion=subcriterion)
            form = stale_form(
                request,
                lambda data: ConsensusForm(data, panel=panel, instance=current),
                current,
                _(
                    "Someone else recorded the consensus for %(code)s while you were editing (now "
                    "%(score)s). "
                    "Your text is kept below; compare and save again."
                )
                % {"code": subcriterion.code, "score": current.score},
            )
            status = CONFLICT
        except services.AssessmentError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(
                request, _("Consensus for %(code)s recorded.") % {"code": subcriterion.code}
            )
            if "next" in request.POST and step["next_code"]:
                return redirect("assessment:consensus", pk=pk, code=step["next_code"])
            return redirect("assessment:consensus", pk=pk, code=code)
    elif request.method == "POST" and not editable:
        messages.error(request, _("The assessment is closed; the consensus can no longer change."))
        status = 400
    scores = [e.score for e in entries if not e.dont_know and e.score is not None]
    return render(
        request,
        "assessment/consensus.html",
        {
            **step,
            "assessment": assessment,
            "form": form,
            "entries": entries,
            "current": current,
            "editable": editable,
            "panel": panel_for_display(panel),
            "mean": sum(scores) / len(scores) if scores else None,
        },
        status=status,
    )
