import pytest


@pytest.fixture(autouse=True)
def _fast_and_quiet():
    """Replace the project-wide autouse fixture: these tests use no Django settings, and they
    must also run with `-p no:django`, where its `settings` fixture does not exist."""
