"""Loading and validation of assessment-framework files (``format: mreza-framework/1``).

Pure Python (PyYAML only, no Django), so it can run in tests, in CI and in
management commands alike.  The file format is described in ``FORMAT.md``
next to this module.

Public API
----------
``load_framework(path_or_text) -> dict``
    Parse and validate; returns the plain data or raises ``FrameworkInvalid``.
``check_framework(path_or_text) -> list[FrameworkError]``
    Parse and validate; returns the errors (with YAML line numbers).
``validate_framework(data, line_map=None) -> list[FrameworkError]``
    Validate already-parsed data.  Without ``line_map`` the errors have no
    line numbers.

Every error names the exact place in the document as a path such as
``criteria[2].subcriteria[1].title.bg`` (list indices are 0-based, as in
JSON Pointer / Python), plus the 1-based YAML line when known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DERIVED_LANGUAGES",
    "FORMAT_TAG",
    "FRAMEWORKS_DIR",
    "KINDS",
    "KNOWN_LANGUAGES",
    "METHODS",
    "FrameworkError",
    "FrameworkInvalid",
    "check_framework",
    "iter_subcriteria",
    "load_framework",
    "shipped_framework_paths",
    "validate_framework",
]

FORMAT_TAG = "mreza-framework/1"
FRAMEWORKS_DIR = Path(__file__).resolve().parent

#: Languages a framework file may store.  ``en`` is always required.
KNOWN_LANGUAGES = ("en", "bs", "hr", "sr", "bg")
REQUIRED_LANGUAGE = "en"
#: Languages the application derives and which must therefore NOT be stored.
DERIVED_LANGUAGES = {"sr-latn": "sr"}
#: Languages whose texts must be written in Cyrillic / must not contain Cyrillic.
CYRILLIC_LANGUAGES = frozenset({"sr", "bg"})
LATIN_LANGUAGES = frozenset({"en", "bs", "hr"})

KINDS = ("enablers", "results", "maturity")
METHODS = ("classic", "fine_tuned", "maturity")
COMBINE_RULES = ("mean",)
ROLLUP_RULES = {
    "criterion": ("mean", "none"),
    "total": ("mean_of_criteria", "mean_of_subcriteria", "none"),
}

_SLUG_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_DIMENSION_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CRITERION_CODE_RE = re.compile(r"^[A-Za-z0-9]+$")
_SUBCODE_TAIL_RE = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$")
_WORD_RE = re.compile(r"[^\W\d_]+")

_TOP_KEYS = {
    "format": True,
    "code": True,
    "version": True,
    "name": True,
    "description": True,
    "source": True,
    "languages": True,
    "scoring_methods": True,
    "panels": True,
    "criteria": True,
    "rollup": False,
    "notes": False,
}
_SOURCE_KEYS = {"publisher": True, "licence": True, "title": False, "url": False, "year": False}
_PANEL_KEYS = {
    "code": True,
    "kind": True,
    "method": True,
    "name": True,
    "min": True,
    "max": True,
    "step": True,
    "description": False,
    "bands": False,
    "dimensions": False,
    "combine": False,
    "cumulative": False,
    "allow_no_score": False,
}
_DIMENSION_KEYS = {"code": True, "name": True, "description": False, "bands": False}
_BAND_KEYS = {"range": True, "meaning": True, "label": False}
_CRITERION_KEYS = {
    "code": True,
    "title": True,
    "description": True,
    "subcriteria": True,
    "panels": False,
}
_SUBCRITERION_KEYS = {
    "code": True,
    "title": True,
    "description": True,
    "examples": False,
    "panels": False,
}

Path_ = tuple[str | int, ...]


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class FrameworkError:
    """One problem in a framework document."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "<document>"
        suffix = f" (line {self.line})" if self.line is not None else ""
        return f"{where}: {self.message}{suffix}"


class FrameworkInvalid(ValueError):
    """Raised by :func:`load_framework`; ``errors`` holds every problem found."""

    def __init__(self, errors: Iterable[FrameworkError], source: str | None = None):
        self.errors: list[FrameworkError] = list(errors)
        self.source = source
        head = f"invalid framework{f' {source}' if source else ''}"
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"{head}: {len(self.errors)} error(s)\n{lines}")


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --------------------------------------------------------------------------- parsing


def _read_source(path_or_text: str | Path) -> tuple[str, str | None]:
    """Return (text, source-name).  A str without newlines ending in .yaml/.yml is a path."""
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8"), str(path_or_text)
    if not isinstance(path_or_text, str):
        raise TypeError("path_or_text must be a str or pathlib.Path")
    stripped = path_or_text.strip()
    if "\n" not in stripped and stripped.endswith((".yaml", ".yml")):
        p = Path(stripped)
        return p.read_text(encoding="utf-8"), str(p)
    return path_or_text, None


def _scalar_key(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _index_nodes(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], errors: list[FrameworkError]
) -> None:
    """Record the 1-based line of every path; report duplicate mapping keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                errors.append(
                    FrameworkError(
                        format_path((*path, str(key))),
                        f"duplicate key {key!r} (first defined on line {seen[key]})",
                        key_line,
                    )
                )
                continue
            seen[key] = key_line
            child = (*path, str(key))
            lines[child] = key_line
            _index_nodes(value_node, child, lines, errors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_nodes(item, (*path, i), lines, errors)


def _parse(text: str) -> tuple[Any, dict[Path_, int], list[FrameworkError]]:
    lines: dict[Path_, int] = {}
    errors: list[FrameworkError] = []
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, [FrameworkError("", "document is empty", 1)]
        _index_nodes(node, (), lines, errors)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        return None, lines, [FrameworkError("", f"YAML syntax error: {problem}", line)]
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        return None, lines, [FrameworkError("", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, lines, errors


# --------------------------------------------------------------------------- validation


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _frac(value: int | float) -> Fraction:
    return Fraction(str(value))


def _fmt_num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


class _Validator:
    def __init__(self, data: Any, line_map: Mapping[Path_, int] | None):
        self.data = data
        self.line_map = line_map or {}
        self.errors: list[FrameworkError] = []
        self.languages: tuple[str, ...] = (REQUIRED_LANGUAGE,)
        self.methods: tuple[str, ...] = ()
        self.panels: dict[str, dict] = {}
        self.used_panels: set[str] = set()

    # -- helpers -------------------------------------------------------------

    def line_for(self, path: Path_) -> int | None:
        for cut in range(len(path), -1, -1):
            line = self.line_map.get(path[:cut])
            if line is not None:
                return line
        return None

    def err(self, path: Path_, message: str) -> None:
        self.errors.append(FrameworkError(format_path(path), message, self.line_for(path)))

    def mapping(self, value: Any, path: Path_, keys: Mapping[str, bool]) -> bool:
        """Check that *value* is a mapping with the required keys and no unknown ones."""
        if not isinstance(value, dict):
            self.err(path, f"must be a mapping, got {type(value).__name__}")
            return False
        for key in value:
            if key not in keys:
                allowed = ", ".join(sorted(keys))
                self.err((*path, str(key)), f"unknown key {key!r} (allowed: {allowed})")
        for key, required in keys.items():
            if required and key not in value:
                self.err((*path, key), "missing required key")
        return True

    def string(self, value: Any, path: Path_, *, what: str = "value") -> bool:
        if value is None:
            return False  # missing key already reported by mapping()
        if not isinstance(value, str):
            hint = ""
            if _is_number(value):
                hint = f'; quote it in YAML (e.g. "{value}")'
            self.err(path, f"{what} must be a string, got {type(value).__name__}{hint}")
            return False
        if not value.strip():
            self.err(path, f"{what} must not be empty")
            return False
        return True

    def code(self, value: Any, path: Path_, pattern: re.Pattern[str], example: str) -> bool:
        if not self.string(value, path, what="code"):
            return False
        if not pattern.match(value):
            self.err(path, f"invalid code {value!r} (expected something like {example!r})")
            return False
        return True

    def text(self, value: Any, path: Path_) -> None:
        """A human text: mapping language -> non-empty string, every language present."""
        if value is None:
            return
        if isinstance(value, str):
            self.err(path, "must be a mapping of language code to text (e.g. en: ...)")
            return
        if not isinstance(value, dict):
            self.err(
                path, f"must be a mapping of language code to text, got {type(value).__name__}"
            )
            return
        for lang in value:
            if lang in DERIVED_LANGUAGES:
                self.err(
                    (*path, str(lang)),
                    f"{lang} is derived from {DERIVED_LANGUAGES[lang]} by transliteration; "
                    "do not store it",
                )
            elif lang not in self.languages:
                self.err(
                    (*path, str(lang)),
                    f"unknown language {lang!r} (framework languages: {', '.join(self.languages)})",
                )
        for lang in self.languages:
            if lang not in value:
                self.err((*path, lang), "missing translation")
                continue
            item = value[lang]
            if not isinstance(item, str):
                self.err((*path, lang), f"translation must be a string, got {type(item).__name__}")
            elif not item.strip():
                self.err((*path, lang), "empty translation")
            else:
                self.script(item, lang, (*path, lang))

    def script(self, text: str, lang: str, path: Path_) -> None:
        words = _WORD_RE.findall(text)
        if lang in CYRILLIC_LANGUAGES:
            # Acronyms and brand names such as CAF, PDCA, ISO or ELoGE (two or more
            # capitals) may stay in Latin letters; any other Latin word is an error.
            latin = [
                w
                for w in words
                if any("a" <= c.lower() <= "z" for c in w) and sum(1 for c in w if c.isupper()) < 2
            ]
            if latin:
                shown = ", ".join(sorted(set(latin))[:5])
                self.err(path, f"expected Cyrillic script, found Latin word(s): {shown}")
        elif lang in LATIN_LANGUAGES and any("\u0400" <= c <= "\u04ff" for c in text):
            self.err(path, "unexpected Cyrillic letters (this language is written in Latin script)")

    def unique(self, items: list[tuple[Any, Path_]], what: str) -> None:
        seen: dict[Any, Path_] = {}
        for value, path in items:
            if not isinstance(value, str):
                continue
            if value in seen:
                self.err(path, f"duplicate {what} {value!r} (also at {format_path(seen[value])})")
            else:
                seen[value] = path

    def seq(self, value: Any, path: Path_, *, non_empty: bool = True) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(path, f"must be a list, got {type(value).__name__}")
            return []
        if non_empty and not value:
            self.err(path, "must not be empty")
        return value

    def boolean(self, value: Any, path: Path_) -> None:
        if value is not None and not isinstance(value, bool):
            self.err(path, "must be true or false")

    # -- document ------------------------------------------------------------

    def run(self) -> list[FrameworkError]:
        data = self.data
        root: Path_ = ()
        if not isinstance(data, dict):
            self.err(root, f"document must be a mapping, got {type(data).__name__}")
            return self.errors
        fmt = data.get("format")
        if fmt is None:
            self.err(("format",), f"missing format tag (expected {FORMAT_TAG!r})")
            return self.errors
        if fmt != FORMAT_TAG:
            self.err(("format",), f"unsupported format {fmt!r} (expected {FORMAT_TAG!r})")
            return self.errors

        self.mapping(data, root, _TOP_KEYS)
        self.code(data.get("code"), ("code",), _SLUG_RE, "caf2020")
        self.string(data.get("version"), ("version",), what="version")
        self.check_languages(data.get("languages"))
        self.text(data.get("name"), ("name",))
        self.text(data.get("description"), ("description",))
        if "notes" in data:
            self.string(data.get("notes"), ("notes",), what="notes")
        self.check_source(data.get("source"))
        self.check_methods(data.get("scoring_methods"))
        self.check_rollup(data.get("rollup"))
        self.check_panels(data.get("panels"))
        self.check_criteria(data.get("criteria"))
        for code, (panel, path) in self.panels.items():
            if code not in self.used_panels and isinstance(panel, dict):
                self.err((*path, "code"), f"panel {code!r} is not used by any criterion")
        return self.errors

    def check_languages(self, value: Any) -> None:
        path: Path_ = ("languages",)
        items = self.seq(value, path)
        good: list[str] = []
        for i, lang in enumerate(items):
            p = (*path, i)
            if lang in DERIVED_LANGUAGES:
                self.err(p, f"{lang} is derived from {DERIVED_LANGUAGES[lang]}; do not list it")
            elif lang not in KNOWN_LANGUAGES:
                self.err(p, f"unknown language {lang!r} (known: {', '.join(KNOWN_LANGUAGES)})")
            elif lang in good:
                self.err(p, f"duplicate language {lang!r}")
            else:
                good.append(lang)
        if value is not None and REQUIRED_LANGUAGE not in good:
            self.err(path, f"{REQUIRED_LANGUAGE!r} is required")
        if REQUIRED_LANGUAGE not in good:
            good.insert(0, REQUIRED_LANGUAGE)
        self.languages = tuple(good)

    def check_source(self, value: Any) -> None:
        path: Path_ = ("source",)
        if value is None or not self.mapping(value, path, _SOURCE_KEYS):
            return
        self.string(value.get("publisher"), (*path, "publisher"), what="publisher")
        for key in ("title", "url"):
            if key in value:
                self.string(value[key], (*path, key), what=key)
        if "year" in value and not (
            isinstance(value["year"], int) and not isinstance(value["year"], bool)
        ):
            self.err((*path, "year"), "year must be an integer")
        self.text(value.get("licence"), (*path, "licence"))

    def check_methods(self, value: Any) -> None:
        path: Path_ = ("scoring_methods",)
        good: list[str] = []
        for i, method in enumerate(self.seq(value, path)):
            if method not in METHODS:
                self.err(
                    (*path, i), f"unknown scoring method {method!r} (known: {', '.join(METHODS)})"
                )
            elif method in good:
                self.err((*path, i), f"duplicate scoring method {method!r}")
            else:
                good.append(method)
        self.methods = tuple(good)

    def check_rollup(self, value: Any) -> None:
        path: Path_ = ("rollup",)
        if value is None:
            return
        if not self.mapping(value, path, dict.fromkeys(ROLLUP_RULES, False)):
            return
        for key, allowed in ROLLUP_RULES.items():
            if key in value and value[key] not in allowed:
                self.err((*path, key), f"must be one of {', '.join(allowed)}")

    # -- panels --------------------------------------------------------------

    def check_panels(self, value: Any) -> None:
        path: Path_ = ("panels",)
        items = self.seq(value, path)
        codes: list[tuple[Any, Path_]] = []
        for i, panel in enumerate(items):
            p = (*path, i)
            if not self.mapping(panel, p, _PANEL_KEYS):
                continue
            code = panel.get("code")
            if self.code(code, (*p, "code"), _SLUG_RE, "classic-enablers"):
                codes.append((code, (*p, "code")))
                self.panels.setdefault(code, (panel, p))
            self.check_panel(panel, p)
        self.unique(codes, "panel code")
        for method in self.methods:
            if not any(
                isinstance(panel, dict) and panel.get("method") == method for panel in items
            ):
                self.err(path, f"no panel for scoring method {method!r}")

    def check_panel(self, panel: dict, path: Path_) -> None:
        kind, method = panel.get("kind"), panel.get("method")
        if kind is not None and kind not in KINDS:
            self.err((*path, "kind"), f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
        if method is not None:
            if method not in METHODS:
                self.err(
                    (*path, "method"), f"unknown method {method!r} (known: {', '.join(METHODS)})"
                )
            elif self.methods and method not in self.methods:
                self.err((*path, "method"), f"method {method!r} is not listed in scoring_methods")
        if (kind == "maturity") != (method == "maturity") and kind in KINDS and method in METHODS:
            self.err(
                (*path, "kind"), "kind 'maturity' goes with method 'maturity' and only with it"
            )
        self.text(panel.get("name"), (*path, "name"))
        if "description" in panel:
            self.text(panel["description"], (*path, "description"))
        for key in ("cumulative", "allow_no_score"):
            self.boolean(panel.get(key), (*path, key))

        scale = self.check_scale(panel, path)
        dimensions = panel.get("dimensions")
        has_panel_bands = "bands" in panel
        if has_panel_bands:
            self.check_bands(panel["bands"], (*path, "bands"), scale)

        if method == "fine_tuned":
            if dimensions is None:
                self.err((*path, "dimensions"), "method fine_tuned needs dimensions")
            if panel.get("combine") is None:
                self.err(
                    (*path, "combine"),
                    f"method fine_tuned needs combine ({', '.join(COMBINE_RULES)})",
                )
        elif dimensions is not None and method in METHODS:
            self.err((*path, "dimensions"), "dimensions are only used with method fine_tuned")
        if "combine" in panel and panel["combine"] not in COMBINE_RULES:
            self.err((*path, "combine"), f"must be one of {', '.join(COMBINE_RULES)}")

        dims = self.seq(dimensions, (*path, "dimensions")) if dimensions is not None else []
        if method == "fine_tuned" and isinstance(dimensions, list) and len(dims) == 1:
            self.err((*path, "dimensions"), "a fine_tuned panel needs at least two dimensions")
        codes: list[tuple[Any, Path_]] = []
        for j, dim in enumerate(dims):
            dp = (*path, "dimensions", j)
            if not self.mapping(dim, dp, _DIMENSION_KEYS):
                continue
            if self.code(dim.get("code"), (*dp, "code"), _DIMENSION_RE, "plan"):
                codes.append((dim["code"], (*dp, "code")))
            self.text(dim.get("name"), (*dp, "name"))
            if "description" in dim:
                self.text(dim["description"], (*dp, "description"))
            if "bands" in dim:
                self.check_bands(dim["bands"], (*dp, "bands"), scale)
            elif not has_panel_bands:
                self.err((*dp, "bands"), "no bands: give the dimension bands or the panel bands")
        self.unique(codes, "dimension code")
        if not dims and not has_panel_bands:
            self.err((*path, "bands"), "missing required key")

    def check_scale(self, panel: dict, path: Path_) -> tuple[Fraction, Fraction, Fraction] | None:
        ok = True
        for key in ("min", "max", "step"):
            value = panel.get(key)
            if key in panel and not _is_number(value):
                self.err((*path, key), f"{key} must be a number")
                ok = False
            elif key not in panel:
                ok = False
        if not ok:
            return None
        lo, hi, step = _frac(panel["min"]), _frac(panel["max"]), _frac(panel["step"])
        if lo >= hi:
            self.err(
                (*path, "max"), f"max ({_fmt_num(hi)}) must be greater than min ({_fmt_num(lo)})"
            )
            return None
        if step <= 0:
            self.err((*path, "step"), "step must be positive")
            return None
        if (hi - lo) % step != 0:
            self.err(
                (*path, "step"),
                f"step {_fmt_num(step)} does not divide the range {_fmt_num(lo)}..{_fmt_num(hi)}",
            )
            return None
        return lo, hi, step

    def check_bands(
        self, value: Any, path: Path_, scale: tuple[Fraction, Fraction, Fraction] | None
    ) -> None:
        items = self.seq(value, path)
        ranges: list[tuple[Fraction, Fraction, int]] = []
        for k, band in enumerate(items):
            bp = (*path, k)
            if not self.mapping(band, bp, _BAND_KEYS):
                continue
            self.text(band.get("meaning"), (*bp, "meaning"))
            if "label" in band:
                self.text(band["label"], (*bp, "label"))
            rng = band.get("range")
            if rng is None:
                continue
            if not (isinstance(rng, list) and len(rng) == 2 and all(_is_number(x) for x in rng)):
                self.err((*bp, "range"), "range must be a list of two numbers [low, high]")
                continue
            a, b = _frac(rng[0]), _frac(rng[1])
            if a > b:
                self.err(
                    (*bp, "range"), f"low end {_fmt_num(a)} is greater than high end {_fmt_num(b)}"
                )
                continue
            if scale is not None:
                lo, hi, step = scale
                if a < lo or b > hi:
                    self.err(
                        (*bp, "range"),
                        f"range {_fmt_num(a)}..{_fmt_num(b)} lies outside the scale "
                        f"{_fmt_num(lo)}..{_fmt_num(hi)}",
                    )
                    continue
                if (a - lo) % step or (b - lo) % step:
                    self.err(
                        (*bp, "range"), f"range ends must be on the step {_fmt_num(step)} grid"
                    )
                    continue
            ranges.append((a, b, k))
        if scale is None or not ranges or len(ranges) != len(items):
            return
        lo, hi, step = scale
        ordered = sorted(ranges)
        if [k for _, _, k in ordered] != [k for _, _, k in ranges]:
            self.err(path, "bands must be listed in ascending order")
        expected = lo
        for a, b, k in ordered:
            if a > expected:
                self.err(
                    (*path, k, "range"),
                    f"gap: values {_fmt_num(expected)}..{_fmt_num(a - step)} "
                    "are not covered by any band",
                )
            elif a < expected:
                self.err(
                    (*path, k, "range"),
                    f"overlap: values {_fmt_num(a)}..{_fmt_num(min(b, expected - step))} "
                    "are already covered by the previous band",
                )
            expected = max(expected, b + step)
        if expected <= hi:
            last = ordered[-1][2]
            self.err(
                (*path, last, "range"),
                f"gap: values {_fmt_num(expected)}..{_fmt_num(hi)} are not covered by any band",
            )

    # -- criteria ------------------------------------------------------------

    def check_panel_refs(self, value: Any, path: Path_) -> dict[str, str]:
        """Validate a ``panels:`` mapping (method -> panel code); return the good entries."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.err(path, "must be a mapping of scoring method to panel code")
            return {}
        good: dict[str, str] = {}
        for method, code in value.items():
            p = (*path, str(method))
            if method not in METHODS:
                self.err(p, f"unknown scoring method {method!r} (known: {', '.join(METHODS)})")
                continue
            if method not in self.methods:
                self.err(p, f"scoring method {method!r} is not listed in scoring_methods")
                continue
            if not isinstance(code, str):
                self.err(p, "panel code must be a string")
                continue
            entry = self.panels.get(code)
            if entry is None:
                known = ", ".join(sorted(self.panels)) or "none"
                self.err(p, f"unknown panel {code!r} (defined panels: {known})")
                continue
            panel = entry[0]
            if panel.get("method") != method:
                self.err(p, f"panel {code!r} uses method {panel.get('method')!r}, not {method!r}")
                continue
            good[method] = code
        return good

    def check_criteria(self, value: Any) -> None:
        path: Path_ = ("criteria",)
        crit_codes: list[tuple[Any, Path_]] = []
        sub_codes: list[tuple[Any, Path_]] = []
        for i, crit in enumerate(self.seq(value, path)):
            cp = (*path, i)
            if not self.mapping(crit, cp, _CRITERION_KEYS):
                continue
            ccode = crit.get("code")
            code_ok = self.code(ccode, (*cp, "code"), _CRITERION_CODE_RE, "1")
            if code_ok:
                crit_codes.append((ccode, (*cp, "code")))
            self.text(crit.get("title"), (*cp, "title"))
            self.text(crit.get("description"), (*cp, "description"))
            crit_panels = self.check_panel_refs(crit.get("panels"), (*cp, "panels"))
            crit_panels_given = isinstance(crit.get("panels"), dict)
            for j, sub in enumerate(self.seq(crit.get("subcriteria"), (*cp, "subcriteria"))):
                sp = (*cp, "subcriteria", j)
                if not self.mapping(sub, sp, _SUBCRITERION_KEYS):
                    continue
                scode = sub.get("code")
                if self.code(scode, (*sp, "code"), re.compile(r"^\S+$"), "1.1"):
                    sub_codes.append((scode, (*sp, "code")))
                    if code_ok:
                        prefix = f"{ccode}."
                        if not (
                            scode.startswith(prefix)
                            and _SUBCODE_TAIL_RE.match(scode[len(prefix) :])
                        ):
                            self.err(
                                (*sp, "code"),
                                f"subcriterion code {scode!r} must start with its criterion code "
                                f"{prefix!r} (e.g. '{ccode}.1')",
                            )
                self.text(sub.get("title"), (*sp, "title"))
                self.text(sub.get("description"), (*sp, "description"))
                for k, example in enumerate(
                    self.seq(sub.get("examples"), (*sp, "examples"), non_empty=False)
                ):
                    self.text(example, (*sp, "examples", k))
                own = self.check_panel_refs(sub.get("panels"), (*sp, "panels"))
                own_given = isinstance(sub.get("panels"), dict)
                self.check_effective_panels(
                    {**crit_panels, **own}, sp, cp, broken=(crit_panels_given or own_given)
                )
        self.unique(crit_codes, "criterion code")
        self.unique(sub_codes, "subcriterion code")

    def check_effective_panels(
        self, effective: dict[str, str], sp: Path_, cp: Path_, broken: bool
    ) -> None:
        for method in self.methods:
            if method not in effective:
                # If a reference was given but was itself invalid, that error is enough.
                if broken and self._method_mentioned(cp, sp, method):
                    continue
                self.err(
                    sp,
                    f"no panel for scoring method {method!r} "
                    f"(set {format_path((*cp, 'panels', method))} or override it here)",
                )
        kinds = {}
        for code in effective.values():
            self.used_panels.add(code)
            kinds.setdefault(self.panels[code][0].get("kind"), code)
        if len(kinds) > 1:
            detail = ", ".join(f"{code} ({kind})" for kind, code in kinds.items())
            self.err((*sp, "panels"), f"panels of different kinds apply here: {detail}")

    def _method_mentioned(self, cp: Path_, sp: Path_, method: str) -> bool:
        def get(path: Path_) -> Any:
            node: Any = self.data
            for part in path:
                try:
                    node = node[part]
                except (KeyError, IndexError, TypeError):
                    return None
            return node

        for base in (cp, sp):
            refs = get((*base, "panels"))
            if isinstance(refs, dict) and method in refs:
                return True
        return False


# --------------------------------------------------------------------------- public API


def validate_framework(
    data: Any, line_map: Mapping[Path_, int] | None = None
) -> list[FrameworkError]:
    """Return every problem found in parsed framework *data* (empty list if valid)."""
    return _Validator(data, line_map).run()


def check_framework(path_or_text: str | Path) -> list[FrameworkError]:
    """Parse a framework file or YAML text and return its problems, with line numbers."""
    text, _source = _read_source(path_or_text)
    data, lines, errors = _parse(text)
    if data is None and errors:
        return errors
    return errors + validate_framework(data, lines)


def load_framework(path_or_text: str | Path) -> dict:
    """Parse and validate a framework; return its data or raise :class:`FrameworkInvalid`."""
    text, source = _read_source(path_or_text)
    data, lines, errors = _parse(text)
    if data is not None or not errors:
        errors = errors + validate_framework(data, lines)
    if errors:
        raise FrameworkInvalid(errors, source)
    return data


def shipped_framework_paths() -> list[Path]:
    """The framework files shipped with the application (``*.yaml`` in this folder)."""
    return sorted(FRAMEWORKS_DIR.glob("*.yaml"))


def iter_subcriteria(data: Mapping[str, Any]):
    """Yield ``(criterion, subcriterion, panels)`` for a *valid* framework.

    ``panels`` maps each scoring method to the panel dict that applies, with the
    subcriterion override taking precedence over the criterion default.
    """
    by_code = {panel["code"]: panel for panel in data["panels"]}
    for crit in data["criteria"]:
        for sub in crit["subcriteria"]:
            refs = {**crit.get("panels", {}), **sub.get("panels", {})}
            yield crit, sub, {method: by_code[code] for method, code in refs.items()}
