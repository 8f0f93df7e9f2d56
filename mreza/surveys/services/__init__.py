"""Every state change of the citizen surveys, one module per part (views call these, never the ORM
to write): `builder` (surveys, items, versions, waves, one-time codes; `catalogue` reads the
shipped templates), `responses` (answering and paper entry), `results` (figures and exports)."""
