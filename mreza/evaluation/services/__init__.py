"""The self-evaluation's state changes and read models, one module per part: `evaluations`
(opening, members' parts, submitting, closing, publishing, the re-assessment), `report` (what the
evaluation report shows), `recognition` and `certificates`."""
