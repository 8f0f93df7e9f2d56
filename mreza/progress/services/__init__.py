"""Every state change of step 3, one module per part (the views call these, never the ORM to write).

`workspaces` (opening a workspace from step 2, members, phases, settings), `plan` (goals,
indicators, measured values, activities, commitments), `meetings` (series, meetings, agenda,
registration, attendance, minutes, decisions, calendar feeds), `exchange` (visits, twinning,
staff exchanges, mentoring, transferred practices), `discussion` (documents, messages,
notifications).
"""
