from django.http import Http404

from mreza.assessment.models import Assessment
from mreza.assessment.services import subcriteria_of
from mreza.core.access import Perm, get_or_deny
from mreza.core.texts import localized


def assessment_for(request, pk, perm=Perm.VIEW):
    """The assessment if the user may do `perm` on it: 404 if they may not even see it, else 403."""
    return get_or_deny(
        request.user,
        perm,
        Assessment.objects.select_related(
            "framework", "municipality", "municipality__country", "baseline"
        ),
        pk=pk,
    )


def panel_for_display(panel):
    """A scoring panel with its texts in the reader's language, for templates."""
    bands = [
        {
            "range": b["range"],
            "label": localized(b.get("label", {})),
            "meaning": localized(b["meaning"]),
        }
        for b in panel.get("bands", [])
    ]
    dimensions = [
        {
            "code": d["code"],
            "name": localized(d["name"]),
            "bands": [
                {"range": b["range"], "meaning": localized(b["meaning"])}
                for b in d.get("bands", [])
            ],
        }
        for d in panel.get("dimensions", [])
    ]
    return {
        "name": localized(panel.get("name", {})),
        "min": panel["min"],
        "max": panel["max"],
        "step": panel["step"],
        "bands": bands,
        "dimensions": dimensions,
    }


def subcriterion_step(assessment, code):
    """Subcriterion `code` of the assessment with its panel and neighbours (for previous/next), or
    404."""
    subcriteria = subcriteria_of(assessment)
    index = next((i for i, s in enumerate(subcriteria) if s.code == code), None)
    if index is None:
        raise Http404
    subcriterion = subcriteria[index]
    subcriterion.framework = assessment.framework
    return {
        "subcriterion": subcriterion,
        "panel": subcriterion.panel_for(assessment.method),
        "position": index + 1,
        "total": len(subcriteria),
        "previous_code": subcriteria[index - 1].code if index else None,
        "next_code": subcriteria[index + 1].code if index + 1 < len(subcriteria) else None,
    }
