"""The layering of docs/ARCHITECTURE.md and the access vocabulary, checked on the source.

Imports only point down: pure engines → core → accounts → registry → assessment → networks → ... →
front (the cross-app pages) → the project (settings, urls). `core/access/` is the one package that
knows every app. Pure engines import no Django. Views spell no role names and decide no access with
`.exists()`; they ask core.access. Imports of `mreza.*` sit at the top of the module, and no two
modules import each other (not even within an app).
"""

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # mreza/
PROJECT_DIR = PACKAGE_DIR.parent

# Pure engines: plain Python (third-party libraries allowed), no Django, only other pure engines.
PURE = (
    "mreza.text",
    "mreza.maps",
    "mreza.grouping",
    "mreza.core.safefiles",
    "mreza.core.exports",
    "mreza.assessment.scoring",
    "mreza.assessment.charts",
    "mreza.assessment.frameworks.schema",
    "mreza.assessment.workbook",
    "mreza.networks.proposal",
    "mreza.progress.charts",
    "mreza.progress.gantt",
    "mreza.progress.ics",
    "mreza.surveys.statistics",
    "mreza.surveys.charts",
    "mreza.surveys.answers",
    "mreza.evaluation.charts",
    "mreza.evaluation.recognition",
    "mreza.core.richtext",
    "mreza.practices.snippets",
)
# Lowest first; a module may import its own layer and the layers below. A new app gets its place
# here.
LAYERS = (
    ("pure",),
    ("core", "formats"),
    ("accounts",),
    ("registry",),
    ("assessment",),
    ("networks",),
    ("progress",),
    ("surveys",),
    ("evaluation",),
    ("practices",),
    ("events",),
    ("api", "opendata"),
    ("front",),
)
PROJECT_MODULES = {"mreza", "mreza.settings", "mreza.urls", "mreza.wsgi"}
KNOWS_EVERY_APP = "mreza.core.access"  # the policy package and its modules

# Function-level imports of mreza.* that stay: (file name or path from the project, function) ->
# reason.
FUNCTION_IMPORTS_ALLOWED = {
    (
        "apps.py",
        "ready",
    ): "Django's place for connecting signals and hooks once the models are loaded",
    ("mreza/grouping/__main__.py", "main"): "HiGHS prints a banner when the solver is imported; "
    "the command imports it only after pointing stdout away, so stdout carries only the JSON",
}

ROLE_NAMES = {
    "coordinator",
    "management",
    "assessor",
    "ort_member",
    "training_contact",
    "staff",
    "network_coordinator",
    "training_commission",
    "expert",
    "platform_admin",
    "leader",
    "administrator",
}
# QuerySet methods whose string arguments are field names (an Entry's "assessor" is a field)
FIELD_NAME_METHODS = {
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "values",
    "values_list",
    "order_by",
}


def _module_name(path):
    parts = list(path.relative_to(PROJECT_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(include_tests=False):
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if not include_tests and "tests" in path.relative_to(PACKAGE_DIR).parts:
            continue
        yield path


def _is_policy(module):
    return module == KNOWS_EVERY_APP or module.startswith(KNOWS_EVERY_APP + ".")


def _is_pure(module):
    return any(module == p or module.startswith(p + ".") for p in PURE)


def _layer(module):
    """The index in LAYERS, len(LAYERS) for the project modules, None for an unknown app."""
    if module in PROJECT_MODULES:
        return len(LAYERS)
    if _is_pure(module):
        return 0
    app = module.split(".")[1]
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    return None


def _resolve(module, path, node):
    """The absolute module names an import statement refers to."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    names = []
    for alias in node.names:
        if alias.name == "*":
            names.append(target)
            continue
        # `from mreza import grouping` imports the module mreza.grouping
        candidate = f"{target}.{alias.name}"
        as_path = PROJECT_DIR.joinpath(*candidate.split("."))
        names.append(
            candidate if as_path.with_suffix(".py").exists() or as_path.is_dir() else target
        )
    return list(dict.fromkeys(names))


def _imports(path):
    """(absolute module name, line, the enclosing function or None) for every import in the file."""
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend(
                    (target, child.lineno, function) for target in _resolve(module, path, child)
                )
            inner = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            visit(child, inner)

    visit(tree, None)
    return found


def _where(path, line):
    return f"{path.relative_to(PROJECT_DIR)}:{line}"


def test_every_app_has_a_layer():
    unknown = {
        _module_name(p).split(".")[1]
        for p in _sources(include_tests=True)
        if _module_name(p) not in PROJECT_MODULES and _layer(_module_name(p)) is None
    }
    assert not unknown, f"add these apps to LAYERS (and docs/ARCHITECTURE.md): {sorted(unknown)}"


def test_imports_point_down():
    upward = []
    for path in _sources():
        module = _module_name(path)
        if _is_policy(module):
            continue
        own = _layer(module)
        for target, line, _function in _imports(path):
            if not target.startswith("mreza"):
                continue
            theirs = _layer(target)
            if theirs is None or own is None or theirs > own:
                upward.append(f"{_where(path, line)} {module} imports {target}")
    assert not upward, "imports that point up the layering:\n" + "\n".join(upward)


def test_pure_engines_import_no_django_and_nothing_above_them():
    wrong = []
    for path in _sources():
        module = _module_name(path)
        if not _is_pure(module):
            continue
        for target, line, _function in _imports(path):
            if target.split(".")[0] == "django" or (
                target.startswith("mreza") and not _is_pure(target)
            ):
                wrong.append(f"{_where(path, line)} {module} imports {target}")
    assert not wrong, "pure engines must stay plain Python:\n" + "\n".join(wrong)


def test_no_models_module_imports_the_access_policy():
    """core.access imports every app's models at the top; a models module importing it would
    loop."""
    wrong = [
        _where(path, line)
        for path in _sources()
        if path.name == "models.py"
        for target, line, _function in _imports(path)
        if _is_policy(target)
    ]
    assert not wrong


def test_imports_of_mreza_sit_at_the_top_of_the_module():
    inside = []
    for path in _sources():
        if "migrations" in path.parts:
            continue  # RunPython functions import app code only when they run, by design
        for target, line, function in _imports(path):
            if function is None or not target.startswith("mreza"):
                continue
            relative = path.relative_to(PROJECT_DIR).as_posix()
            if (path.name, function) in FUNCTION_IMPORTS_ALLOWED or (
                relative,
                function,
            ) in FUNCTION_IMPORTS_ALLOWED:
                continue
            inside.append(f"{_where(path, line)} in {function}(): {target}")
    assert not inside, "function-level imports (fix the cycle instead):\n" + "\n".join(inside)


def _module_import_graph():
    """{module: the mreza modules it imports at module level} (function-level imports run later)."""
    graph = {}
    for path in _sources():
        module = _module_name(path)
        graph[module] = {
            target
            for target, _line, function in _imports(path)
            if function is None and target.startswith("mreza") and target != module
        }
    return graph


def _import_cycles(graph):
    """The groups of modules that import each other, directly or through others, sorted."""
    reach = {}
    for start in graph:
        seen, todo = set(), [start]
        while todo:
            for target in graph.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        reach[start] = seen
    groups = {
        frozenset(other for other in reach[module] if module in reach.get(other, ()))
        for module in graph
        if module in reach[module]
    }
    return sorted(sorted(group) for group in groups)


def test_no_import_cycles_even_within_an_app():
    """A cycle (tasks.py imports services.py, which imports tasks.py) works only by luck of the
    import order; name the other side by string or move the code instead."""
    cycles = _import_cycles(_module_import_graph())
    assert not cycles, "modules that import each other:\n" + "\n".join(
        " <-> ".join(group) for group in cycles
    )


def test_the_cycle_check_finds_direct_and_indirect_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": {"a"}}
    assert _import_cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert _import_cycles({"a": {"b"}, "b": set()}) == []


def test_the_policy_denies_only_through_get_or_deny_and_require():
    """Views deny with get_or_deny(user, Perm.X, ...) or require(user, Perm.X, obj): no shortcut
    per purpose (a `require_admin`) beside them, so every decision is a named Perm at the call."""
    deciding, refusals = {"get_or_deny", "require"}, {"PermissionDenied", "Http404"}
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((PACKAGE_DIR / "core" / "access").glob("*.py"))
    ]
    shortcuts = [
        node.name
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name not in deciding
        and any(
            (
                isinstance(inner, ast.Raise)
                and inner.exc is not None
                and refusals & {n.id for n in ast.walk(inner.exc) if isinstance(n, ast.Name)}
            )
            or (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in deciding
            )
            for inner in ast.walk(node)
        )
    ]
    assert not shortcuts, f"call require/get_or_deny with a Perm instead of: {shortcuts}"


def _view_modules():
    for path in _sources():
        if (
            path.name == "views.py"
            or path.name.endswith("_views.py")
            or path.parent.name == "views"
        ):
            yield path


def _role_literals(tree):
    """Role names spelled as strings, except field names given to QuerySet methods and dict keys."""
    skip = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FIELD_NAME_METHODS
        ):
            skip.update(id(arg) for arg in node.args)
        if isinstance(node, ast.Dict):
            skip.update(id(key) for key in node.keys if key is not None)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in ROLE_NAMES and id(node) not in skip
    ]


def test_view_modules_spell_no_role_names_and_decide_no_access_with_exists():
    found = []
    for path in _view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.extend(
            f"{_where(path, node.lineno)} role name {node.value!r}" for node in _role_literals(tree)
        )
        found.extend(
            f"{_where(path, node.lineno)} .exists() (ask core.access)"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "exists"
        )
    assert not found, "views decide access through core.access:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('def dashboard(request):\n    return "coordinator" in roles\n', 1),
        ('def v(request):\n    x.filter(role__in=["leader", "administrator"])\n', 2),
        ('def v(request):\n    x.select_related("assessor")\n    y = {"assessor": 1}\n', 0),
    ],
)
def test_the_role_name_check_catches_what_it_should(source, expected):
    assert len(_role_literals(ast.parse(source))) == expected


def test_the_import_checks_see_function_level_and_relative_imports(tmp_path):
    path = PACKAGE_DIR / "registry" / "views.py"
    source = (
        "from .models import Municipality\n\ndef f():\n    from mreza.assessment import models\n"
    )
    tree = ast.parse(source)
    module = _module_name(path)
    seen = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            seen.extend(_resolve(module, path, node))
    assert seen == ["mreza.registry.models", "mreza.assessment.models"]
    assert _layer("mreza.assessment.models") > _layer(module)
