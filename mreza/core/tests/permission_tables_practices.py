"""The persona × Perm tables of step 5 (practices), merged into test_permission_tables.py (same
personas, same world, same checks: the policy and a representative page).

The world: five practices of A written by bob — a draft, a submitted one, one the network
coordinator (dana) has reviewed, one the expert did not accept, and a published one with an open
offer of help. What a persona
may do depends on the state: dana reviews only a submitted practice, erin (expert of the
association) validates only a reviewed one; drafts are seen only by A's people."""

from decimal import Decimal

from mreza.core.access import Perm

# municipality A: who may start a practice for it (any of its people)
MUNICIPALITY_PRACTICES = """
            submit_practice
alice             Y
bob               Y
charlie           -
dana              -
mara              Y
nada              -
erin              -
admin             Y
anonymous         -
"""

HEADER = "            view  edit_practice  review_practice  validate_practice  withdraw_practice"

# a draft: A's people only
PRACTICE_DRAFT = (
    HEADER
    + """
alice         Y          Y                -                 -                  -
bob           Y          Y                -                 -                  -
charlie       -          -                -                 -                  -
dana          -          -                -                 -                  -
mara          Y          Y                -                 -                  -
nada          -          -                -                 -                  -
erin          -          -                -                 -                  -
admin         Y          Y                -                 -                  -
anonymous     -          -                -                 -                  -
"""
)

# submitted: the network coordinator reviews it; the expert sees it coming; the author waits
PRACTICE_SUBMITTED = (
    HEADER
    + """
alice         Y          -                -                 -                  -
bob           Y          -                -                 -                  -
charlie       -          -                -                 -                  -
dana          Y          -                Y                 -                  -
mara          Y          -                -                 -                  -
nada          -          -                -                 -                  -
erin          Y          -                -                 -                  -
admin         Y          -                Y                 -                  -
anonymous     -          -                -                 -                  -
"""
)

# reviewed: the expert validates it
PRACTICE_REVIEWED = (
    HEADER
    + """
alice         Y          -                -                 -                  -
bob           Y          -                -                 -                  -
charlie       -          -                -                 -                  -
dana          Y          -                -                 -                  -
mara          Y          -                -                 -                  -
nada          -          -                -                 -                  -
erin          Y          -                -                 Y                  -
admin         Y          -                -                 Y                  -
anonymous     -          -                -                 -                  -
"""
)

# not accepted: A's people may revise it (back to a draft, a new review round: edit_practice, on
# the page POST /revise/); the reviewer and the expert still see it, nobody reviews it
PRACTICE_REJECTED = (
    HEADER
    + """
alice         Y          Y                -                 -                  -
bob           Y          Y                -                 -                  -
charlie       -          -                -                 -                  -
dana          Y          -                -                 -                  -
mara          Y          Y                -                 -                  -
nada          -          -                -                 -                  -
erin          Y          -                -                 -                  -
admin         Y          Y                -                 -                  -
anonymous     -          -                -                 -                  -
"""
)

# published with an open offer: public; A's people update it; its coordinator and management
# withdraw it, offer help and record adoptions; B's coordinator asks for the help
PRACTICE_PUBLISHED = (
    HEADER
    + """
alice         Y          Y                -                 -                  Y
bob           Y          Y                -                 -                  -
charlie       Y          -                -                 -                  -
dana          Y          -                -                 -                  -
mara          Y          Y                -                 -                  Y
nada          Y          -                -                 -                  -
erin          Y          -                -                 -                  -
admin         Y          Y                -                 -                  Y
anonymous     Y          -                -                 -                  -
"""
)

# the published practice's offer of help: its coordinator and management offer help and record
# adoptions; B's coordinator asks for it (an adopter records its own adoption once its request is
# confirmed: tests/test_transfer.py)
PRACTICE_TRANSFER = """
            offer_transfer  request_transfer  record_replication
alice               Y                -                  Y
bob                 -                -                  -
charlie             -                -                  -
dana                -                -                  -
mara                Y                -                  Y
nada                -                Y                  -
erin                -                -                  -
admin               Y                -                  Y
anonymous           -                -                  -
"""

OBJECTS = {
    "MUNICIPALITY_PRACTICES": lambda w: w.a,
    "PRACTICE_DRAFT": lambda w: w.practice_draft,
    "PRACTICE_SUBMITTED": lambda w: w.practice_submitted,
    "PRACTICE_REVIEWED": lambda w: w.practice_reviewed,
    "PRACTICE_REJECTED": lambda w: w.practice_rejected,
    "PRACTICE_PUBLISHED": lambda w: w.practice_published,
    "PRACTICE_TRANSFER": lambda w: w.practice_published,
}
TABLES = {name: globals()[name] for name in OBJECTS}


def _urls(attribute):
    base = "/practices/{w." + attribute + ".pk}/"
    return {
        Perm.VIEW: ("get", base + "history/", None),
        Perm.EDIT_PRACTICE: ("get", base + "edit/", None),
        Perm.REVIEW_PRACTICE: ("get", base + "review/", None),
        Perm.VALIDATE_PRACTICE: ("get", base + "validate/", None),
        Perm.WITHDRAW_PRACTICE: ("get", base + "withdraw/", None),
    }


PUBLISHED = "/practices/{w.practice_published.pk}/"


URLS = {
    "MUNICIPALITY_PRACTICES": {
        Perm.SUBMIT_PRACTICE: ("get", "/municipalities/{w.a.code}/practices/new/", None)
    },
    "PRACTICE_DRAFT": _urls("practice_draft"),
    "PRACTICE_SUBMITTED": _urls("practice_submitted"),
    "PRACTICE_REVIEWED": _urls("practice_reviewed"),
    "PRACTICE_REJECTED": {
        **_urls("practice_rejected"),
        Perm.EDIT_PRACTICE: ("post", "/practices/{w.practice_rejected.pk}/revise/", None),
    },
    "PRACTICE_PUBLISHED": _urls("practice_published"),
    "PRACTICE_TRANSFER": {
        Perm.OFFER_TRANSFER: ("get", PUBLISHED + "offer/", None),
        Perm.REQUEST_TRANSFER: ("get", PUBLISHED + "request/", None),
        Perm.RECORD_REPLICATION: ("get", PUBLISHED + "adoptions/new/", None),
    },
}


def build(world):
    """Add this step's objects to the shared world (called once per test by the world fixture)."""
    from mreza.practices.services import drafting, transfer, workflow

    def practice(title):
        return drafting.create_practice(
            world.a,
            world.bob,
            drafting.Changes(
                values={
                    "language": "bs",
                    "title": title,
                    "summary": "Summary",
                    "problem": "Problem",
                    "actions": "Actions",
                    "results": "Results",
                    "contact_name": "Contact",
                },
                areas=[world.subcriterion],
                figures=[{"label": "Figure", "before": Decimal(1), "after": Decimal(2)}],
            ),
        )

    world.practice_draft = practice("Draft practice")
    world.practice_submitted = workflow.submit(practice("Submitted practice"), world.bob)
    world.practice_reviewed = workflow.submit(practice("Reviewed practice"), world.bob)
    workflow.review(world.practice_reviewed, world.dana, passed=True, comment="")
    rejected = workflow.submit(practice("Rejected practice"), world.bob)
    workflow.review(rejected, world.dana, passed=True, comment="")
    workflow.validate(rejected, world.erin, decision="reject", comment="Not new", criteria={})
    world.practice_rejected = type(rejected).objects.get(pk=rejected.pk)
    published = workflow.submit(practice("Published practice"), world.bob)
    workflow.review(published, world.dana, passed=True, comment="")
    workflow.validate(
        published,
        world.erin,
        decision="publish",
        comment="",
        criteria=dict.fromkeys(workflow.CRITERION_CODES, True),
    )
    transfer.save_offer(published, world.alice, description="Study visits", is_open=True)
    world.practice_published = type(published).objects.get(pk=published.pk)
