"""The persona × Perm tables of step 5 (events), merged into test_permission_tables.py (same personas,
same world, same checks: the policy and a representative page)."""


def build(world):
    """Add this step's objects to the shared world (called once per test by the world fixture)."""


OBJECTS: dict = {}
TABLES: dict = {}
URLS: dict = {}
