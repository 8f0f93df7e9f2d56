"""The datasets of an open-data release, in the order they are written and listed. A new one (an
app's public records) is one `Dataset` in a module here and one entry below."""

from mreza.opendata.providers import (
    assessment,
    evaluation,
    events,
    practices,
    progress,
    registry,
    surveys,
)

DATASETS = [
    registry.COUNTRIES,
    registry.REGIONS,
    registry.MUNICIPALITIES,
    assessment.FRAMEWORKS,
    assessment.CRITERIA,
    assessment.SUBCRITERIA,
    assessment.LEARNING_PROFILES,
    progress.WORKSPACES,
    progress.WORKSPACE_MEMBERS,
    progress.WORKSPACE_PROGRESS,
    progress.WORKSPACE_INDICATORS,
    surveys.SURVEYS,
    surveys.SURVEY_WAVES,
    surveys.SURVEY_ITEMS,
    surveys.SURVEY_RESULTS,
    surveys.SURVEY_SUMMARIES,
    evaluation.EVALUATIONS,
    evaluation.EVALUATION_MEMBERS,
    evaluation.RECOGNITIONS,
    practices.PRACTICES,
    practices.PRACTICE_RESULTS,
    events.EVENTS,
    events.EVENT_SESSIONS,
]


def by_name(name):
    return next((d for d in DATASETS if d.name == name), None)
