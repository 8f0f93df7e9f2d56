"""The self-evaluation's pages, one module per part: `evaluations` (the list, opening, an
evaluation, a member's part), `report` (HTML and PDF) and `recognition`."""
