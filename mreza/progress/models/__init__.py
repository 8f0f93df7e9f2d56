"""Step 3 of the cycle: the workspaces of networks, partnerships and twinnings.

One package, a module per part: `workspace` (who is in it), `plan` (goals, indicators, activities),
`meetings`, `exchange` (visits, twinning, mentoring, transferred practices), `discussion`
(documents, messages, notifications).
"""

from mreza.progress.models.discussion import Document, Notification, NotificationSettings, Post
from mreza.progress.models.exchange import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
)
from mreza.progress.models.meetings import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingSeries,
    Registration,
)
from mreza.progress.models.plan import Activity, Commitment, Goal, Indicator, Measurement
from mreza.progress.models.workspace import Phase, Workspace, WorkspaceMember

__all__ = [
    "Activity",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "Commitment",
    "Decision",
    "Document",
    "Goal",
    "Indicator",
    "Measurement",
    "Meeting",
    "MeetingSeries",
    "MentoringPair",
    "MentoringSession",
    "Notification",
    "NotificationSettings",
    "Phase",
    "Post",
    "Registration",
    "StaffExchange",
    "TransferredPractice",
    "TwinningAgreement",
    "Visit",
    "Workspace",
    "WorkspaceMember",
]
