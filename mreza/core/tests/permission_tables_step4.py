"""The persona × Perm tables of step 4 (citizen surveys, self-evaluation, certificates), merged into
test_permission_tables.py (same personas, same checks: the policy and a representative page).

The world: A's satisfaction survey measures the workspace of A and C (run by dana's association),
results not public, one open link wave; an open evaluation of that workspace with A's part; a
certificate of A in it.
"""

from mreza.core.access import Perm

# municipality A: who may start a survey for it (its coordinator and management)
MUNICIPALITY_SURVEYS = """
            manage_survey
alice             Y
bob               -
charlie           -
dana              -
mara              Y
nada              -
admin             Y
anonymous         -
"""

# A's survey: its people see it and type in paper questionnaires; its coordinator and management
# run it and download the responses; dana sees it because she runs the workspace it measures
SURVEY = """
            view  manage_survey  enter_responses  export_responses
alice        Y         Y               Y                 Y
bob          Y         -               Y                 -
charlie      -         -               -                 -
dana         Y         -               -                 -
mara         Y         Y               Y                 Y
nada         -         -               -                 -
admin        Y         Y               Y                 Y
anonymous    -         -               -                 -
"""

# the same survey's open wave: anybody answers it on the public link, without an account
WAVE = """
            respond
alice          Y
bob            Y
charlie        Y
dana           Y
mara           Y
nada           Y
admin          Y
anonymous      Y
"""

# the open evaluation of the workspace of A and C, run by dana's association
EVALUATION = """
            view  manage_evaluation
alice        Y           -
bob          Y           -
charlie      -           -
dana         Y           Y
mara         Y           -
nada         -           -
admin        Y           Y
anonymous    -           -
"""

# A's part of it: filled in by A's coordinator and management, and by whoever runs the workspace
MEMBER_EVALUATION = """
            view  evaluate
alice        Y       Y
bob          Y       -
charlie      -       -
dana         Y       Y
mara         Y       Y
nada         -       -
admin        Y       Y
anonymous    -       -
"""

CERTIFICATE = """
            view  manage_evaluation
alice        Y           -
bob          Y           -
charlie      -           -
dana         Y           Y
mara         Y           -
nada         -           -
admin        Y           Y
anonymous    -           -
"""

WAVE_URL = "/surveys/{w.survey.pk}/waves/{w.wave.pk}"

OBJECTS = {
    "MUNICIPALITY_SURVEYS": lambda w: w.a,
    "SURVEY": lambda w: w.survey,
    "WAVE": lambda w: w.wave,
    "EVALUATION": lambda w: w.evaluation,
    "MEMBER_EVALUATION": lambda w: w.part,
    "CERTIFICATE": lambda w: w.certificate,
}

TABLES = {name: globals()[name] for name in OBJECTS}

URLS = {
    "MUNICIPALITY_SURVEYS": {
        Perm.MANAGE_SURVEY: ("get", "/municipalities/{w.a.code}/surveys/new/", None)
    },
    "SURVEY": {
        Perm.VIEW: ("get", "/surveys/{w.survey.pk}/results/", None),
        Perm.MANAGE_SURVEY: ("get", "/surveys/{w.survey.pk}/edit/", None),
        Perm.ENTER_RESPONSES: ("get", WAVE_URL + "/paper/", None),
        Perm.EXPORT_RESPONSES: ("get", WAVE_URL + "/responses.csv", None),
    },
    "WAVE": {Perm.RESPOND: ("get", "/s/{w.survey.public_token}/", None)},
    "EVALUATION": {
        Perm.VIEW: ("get", "/evaluations/{w.evaluation.pk}/", None),
        Perm.MANAGE_EVALUATION: ("post", "/evaluations/{w.evaluation.pk}/close/", {}),
    },
    "MEMBER_EVALUATION": {
        Perm.VIEW: ("get", "/evaluations/{w.evaluation.pk}/members/{w.part.pk}/", None),
        Perm.EVALUATE: None,  # the same page's form; saving is checked in the evaluation tests
    },
    "CERTIFICATE": {
        Perm.VIEW: None,  # the PDF, by its code (tests/test_certificates_issue.py)
        Perm.MANAGE_EVALUATION: None,  # revoke (tests/test_certificates_issue.py)
    },
}


def build(world):
    """Add the step-4 objects to the permission tables' world."""
    from mreza.evaluation.models import Certificate
    from mreza.evaluation.services import evaluations
    from mreza.surveys.services import builder

    world.survey = builder.create_survey(
        world.a,
        world.alice,
        template="satisfaction",
        languages=["sr", "en"],
        workspace=world.workspace,
    )
    world.wave = builder.add_wave(world.survey, name="Before")
    builder.open_wave(world.wave)
    world.wave.refresh_from_db()
    world.evaluation = evaluations.open_evaluation(
        world.workspace, title="Evaluation 2025", due_on=None, user=world.dana
    )
    world.part = world.evaluation.members.get(member__municipality=world.a)
    world.certificate = Certificate.objects.create(
        evaluation=world.evaluation,
        municipality=world.a,
        kind=Certificate.Kind.PARTICIPATION,
        code="TEST-CODE-0001",
        signature="0" * 64,
    )
