"""House rules for the tests themselves (issue 9, items 5 and 6): `make test-fast` leaves out
exactly the browser tests, and no test skips because a pinned dependency is missing."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BROWSER_MARK = "pytest.mark.browser"


def _pytestmark(path):
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            return ast.unparse(node.value)
    return None


def test_every_browser_test_module_is_marked_so_test_fast_leaves_it_out():
    modules = sorted((ROOT / "browser_tests").glob("test_*.py"))
    assert modules
    unmarked = [p.name for p in modules if BROWSER_MARK not in (_pytestmark(p) or "")]
    assert unmarked == []
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    fast = re.search(r"^test-fast:.*\n\t(.+)$", makefile, re.MULTILINE)
    assert fast and '-m "not browser"' in fast.group(1)


def test_no_test_skips_when_a_pinned_dependency_is_missing():
    needle = "importor" + "skip("
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("mreza", "browser_tests", "bench")
        for p in (ROOT / folder).rglob("*.py")
        if needle in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
