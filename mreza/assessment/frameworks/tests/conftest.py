"""These tests are pure Python: they must also run with ``-p no:django``.

The project-wide autouse fixture ``_fast_and_quiet`` (root ``conftest.py``)
needs pytest-django's ``settings`` fixture; override it here with a no-op so
the framework tests do not depend on Django at all.
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_and_quiet():
    yield
