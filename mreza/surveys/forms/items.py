"""Forms of a survey's items: one item (its texts in each of the survey's languages side by side,
with the rules of its kind) and the translation of every text into one language."""

import re

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields
from mreza.surveys.forms.builder import INTRO_LIMIT, ITEM_TEXT_LIMIT, TextGroups, offered
from mreza.surveys.models import Item
from mreza.surveys.services import builder as services

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_SCALE_POINTS = 11


def parse_lines(text, *, line_code=True):
    """Lines "code | text" (or just "text") → [(line number, code or None, text)], empty lines
    left out."""
    parsed = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        code, bar, rest = line.partition("|")
        if bar and line_code:
            parsed.append((number, code.strip(), rest.strip()))
        else:
            parsed.append((number, None, line.strip()))
    return parsed


def format_lines(entries, language):
    return "\n".join(f"{e['code']} | {(e.get('text') or {}).get(language, '')}" for e in entries)


class ItemForm(TextGroups, forms.Form):
    """One item of kind `kind`; `earlier`: the items before it (show-if may only point back)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short name used in exports and to compare waves and versions, e.g. “overall”. "
            "Letters, digits, - and _."
        ),
    )

    def __init__(self, *args, survey, kind, item=None, items=(), **kwargs):
        self.survey, self.kind, self.item, self.groups = survey, kind, item, []
        self.languages = offered(survey)
        items = list(items)  # in the survey's order
        self.others = [i for i in items if item is None or i.pk != item.pk]
        index = next((n for n, i in enumerate(items) if item and i.pk == item.pk), len(items))
        self.earlier = items[:index]
        super().__init__(*args, initial={**self._initial(), **kwargs.pop("initial", {})}, **kwargs)
        self._build()
        guard_text_fields(self)

    # -- building

    def _build(self):
        languages, kind = self.languages, self.kind
        heading = kind == Item.Kind.SECTION
        self.add_group(
            "text",
            _("Heading") if heading else _("Question"),
            languages,
            required_first=True,
            rows=2,
        )
        self.add_group("help", _("Help under the question"), languages)
        if kind in services.CHOICE_KINDS:
            self.add_group(
                "options",
                _("Answers"),
                languages,
                rows=5,
                limit=None,
                note=_("One answer per line: code | text, e.g. “yes | Yes”."),
            )
        if kind == Item.Kind.MATRIX:
            self.add_group(
                "rows",
                _("Rows (each rated on the scale)"),
                languages,
                rows=6,
                limit=None,
                note=_("One row per line: code | text, e.g. “roads | Local roads”."),
            )
        if kind in (Item.Kind.SCALE, Item.Kind.MATRIX):
            for end, label in (("scale_min", _("Lowest value")), ("scale_max", _("Highest value"))):
                self.fields[end] = forms.IntegerField(label=label, min_value=-10, max_value=100)
            self.add_group("min_label", _("Label of the lowest value"), languages)
            self.add_group("max_label", _("Label of the highest value"), languages)
        if kind == Item.Kind.NUMBER:
            for end, label in (
                ("number_min", _("Smallest number accepted")),
                ("number_max", _("Largest number accepted")),
            ):
                self.fields[end] = forms.DecimalField(
                    label=label, required=False, max_digits=12, decimal_places=2
                )
        if kind != Item.Kind.SECTION:
            self.fields["required"] = forms.BooleanField(
                label=_("An answer is required"), required=False
            )
            self.fields["is_demographic"] = forms.BooleanField(
                label=_("Demographic question (age, gender…): used to break results down"),
                required=False,
            )
        self._build_show_if()

    def _build_show_if(self):
        language = self.languages[0]
        choices = [i for i in self.earlier if i.kind in services.CHOICE_KINDS]
        self.fields["show_if_item"] = forms.ChoiceField(
            label=_("Show this question only if the answer to"),
            required=False,
            choices=[("", _("— always show it —"))]
            + [(i.code, f"{i.code}: {localized(i.text, language)}") for i in choices],
            error_messages={
                "invalid_choice": _(
                    "Choose one of the single or multiple choice questions before this one."
                )
            },
        )
        self.fields["show_if_options"] = forms.MultipleChoiceField(
            label=_("is one of"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (f"{i.code}:{o['code']}", f"{i.code}: {localized(o.get('text'), language)}")
                for i in choices
                for o in i.options
            ],
            error_messages={"invalid_choice": _("Choose answers of the question chosen above.")},
        )

    def _initial(self):
        item = self.item
        if item is None:
            return {"scale_min": 1, "scale_max": 5}
        initial = {
            "version": item.version,
            "code": item.code,
            "required": item.required,
            "is_demographic": item.is_demographic,
            "scale_min": item.scale_min,
            "scale_max": item.scale_max,
            "number_min": item.number_min,
            "number_max": item.number_max,
            "show_if_item": (item.show_if or {}).get("item", ""),
            "show_if_options": [
                f"{item.show_if['item']}:{c}" for c in (item.show_if or {}).get("any_of", [])
            ],
        }
        labels = item.scale_labels or {}
        for code in self.languages:
            initial[f"text_{code}"] = (item.text or {}).get(code, "")
            initial[f"help_{code}"] = (item.help_text or {}).get(code, "")
            initial[f"options_{code}"] = format_lines(item.options or [], code)
            initial[f"rows_{code}"] = format_lines(item.rows or [], code)
            initial[f"min_label_{code}"] = (labels.get("min") or {}).get(code, "")
            initial[f"max_label_{code}"] = (labels.get("max") or {}).get(code, "")
        return initial

    # -- checking

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("A code may contain only letters, digits, - and _ (no spaces)."), code="code"
            )
        if any(i.code == code for i in self.others):
            raise forms.ValidationError(
                _("Another question of this survey already has the code “%(code)s”."),
                code="duplicate",
                params={"code": code},
            )
        return code

    def clean(self):
        data = super().clean()
        if self.kind in services.CHOICE_KINDS:
            self._entries(
                "options",
                gettext("Give at least two answers, one per line: code | text."),
                minimum=2,
            )
        if self.kind == Item.Kind.MATRIX:
            self._entries(
                "rows", gettext("Give at least one row, one per line: code | text."), minimum=1
            )
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None:
            if high <= low:
                self.add_error(
                    "scale_max", gettext("The highest value must be above the lowest value.")
                )
            elif high - low + 1 > MAX_SCALE_POINTS:
                self.add_error(
                    "scale_max",
                    gettext("A scale has at most %(n)d points.") % {"n": MAX_SCALE_POINTS},
                )
        low, high = data.get("number_min"), data.get("number_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "number_max",
                gettext("The largest number must not be below the smallest number."),
            )
        self._clean_show_if()
        self._keep_dependents()
        return data

    def _entries(self, key, too_few, minimum):
        """Parse the answers (or rows) in every language into [{"code", "text": {lang: ...}}] and
        check them; the main language decides the codes and their order."""
        main, entries, seen = self.languages[0], [], {}
        for number, code, text in parse_lines(self.cleaned_data.get(f"{key}_{main}")):
            code = code if code is not None else (slugify(text)[:40] or str(len(entries) + 1))
            if not self._entry_ok(key, main, number, code, text):
                continue
            if code in seen:
                self.add_error(
                    f"{key}_{main}",
                    gettext("Codes must be unique: “%(code)s” is used twice.") % {"code": code},
                )
                continue
            seen[code] = {"code": code, "text": {main: text}}
            entries.append(seen[code])
        if len(entries) < minimum and not self.has_error(f"{key}_{main}"):
            self.add_error(f"{key}_{main}", too_few)
        for code_language in self.languages[1:]:
            self._translations(key, code_language, entries, seen)
        self.cleaned_data[key] = self._merge_entries(key, entries)

    def _entry_ok(self, key, language, number, code, text):
        problem = None
        if not CODE_PATTERN.match(code):
            problem = gettext(
                "Line %(line)d: the code “%(code)s” may contain only letters, digits, - and _."
            )
        elif not text:
            problem = gettext("Line %(line)d: write the text after the “|”.")
        elif len(text) > ITEM_TEXT_LIMIT:
            problem = gettext("Line %(line)d: at most %(limit)d characters.")
        if problem:
            self.add_error(
                f"{key}_{language}",
                problem % {"line": number, "code": code, "limit": ITEM_TEXT_LIMIT},
            )
        return problem is None

    def _translations(self, key, language, entries, seen):
        lines = parse_lines(self.cleaned_data.get(f"{key}_{language}"))
        for index, (number, code, text) in enumerate(lines):
            if code is None:  # a bare text: the answer on the same line in the main language
                code = entries[index]["code"] if index < len(entries) else ""
            if code not in seen:
                self.add_error(
                    f"{key}_{language}",
                    gettext(
                        "Line %(line)d: “%(code)s” is not one of the codes in the main language."
                    )
                    % {"line": number, "code": code},
                )
            elif self._entry_ok(key, language, number, code, text):
                seen[code]["text"][language] = text

    def _merge_entries(self, key, entries):
        """Keep the texts of languages the survey does not offer now (e.g. a template's)."""
        old = {e["code"]: e.get("text", {}) for e in getattr(self.item, key, None) or []}
        for entry in entries:
            kept = {k: v for k, v in old.get(entry["code"], {}).items() if k not in self.languages}
            entry["text"] = {**kept, **entry["text"]}
        return entries

    def _clean_show_if(self):
        data = self.cleaned_data
        target = data.get("show_if_item")
        chosen = data.get("show_if_options") or []
        if not target:
            if chosen:
                self.add_error("show_if_item", gettext("Choose the question whose answer decides."))
            data["show_if"] = {}
            return
        wrong = [c for c in chosen if not c.startswith(f"{target}:")]
        if wrong:
            self.add_error(
                "show_if_options",
                gettext("Choose only answers of “%(code)s”.") % {"code": target},
            )
        elif not chosen:
            self.add_error(
                "show_if_options",
                gettext("Choose at least one answer of “%(code)s”.") % {"code": target},
            )
        data["show_if"] = {"item": target, "any_of": [c.split(":", 1)[1] for c in chosen]}

    def _keep_dependents(self):
        """An answer that decides whether a later question is shown must stay."""
        if self.item is None or self.kind not in services.CHOICE_KINDS:
            return
        codes = {o["code"] for o in self.cleaned_data.get("options") or []}
        for other in self.others:
            condition = other.show_if or {}
            if condition.get("item") != self.item.code:
                continue
            gone = [c for c in condition.get("any_of", []) if c not in codes]
            if gone and "options" in self.cleaned_data:
                self.add_error(
                    f"options_{self.languages[0]}",
                    gettext(
                        "“%(item)s” is shown only for the answer “%(code)s”: keep that answer or "
                        "change “%(item)s” first."
                    )
                    % {"item": other.code, "code": gone[0]},
                )

    def values(self):
        """The item's fields for services.create_item / update_item."""
        data, languages = self.cleaned_data, self.languages
        values = {
            "code": data["code"],
            "kind": self.kind,
            "text": self.texts("text", languages),
            "help_text": self.texts("help", languages),
            "required": data.get("required", False),
            "is_demographic": data.get("is_demographic", False),
            "show_if": data["show_if"],
        }
        for key in ("options", "rows"):
            if key in data:
                values[key] = data[key]
        if "scale_min" in data:
            values.update(scale_min=data["scale_min"], scale_max=data["scale_max"])
            old = (self.item.scale_labels if self.item else None) or {}
            values["scale_labels"] = {
                end: services.merge_texts(
                    old.get(end), self.texts(f"{end}_label", languages), languages
                )
                for end in ("min", "max")
            }
        if "number_min" in data:
            values.update(number_min=data["number_min"], number_max=data["number_max"])
        return values


class TranslationForm(forms.Form):
    """Every text of the survey in one language, next to the main language's: `sections` =
    [(heading, [(text in the main language, bound field)])]. A frozen survey's questions are
    shown but cannot change."""

    def __init__(self, *args, survey, items, language, frozen=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.language, self.main, self.sections = language, offered(survey)[0], []
        self.item_fields: dict[int, dict] = {}
        rows = []
        for key, limit in (("title", 200), ("introduction", INTRO_LIMIT), ("thanks", INTRO_LIMIT)):
            texts = getattr(survey, key) or {}
            if texts.get(self.main):
                rows.append(self._add(f"s_{key}", texts, limit, multiline=key != "title"))
        self.sections.append((gettext("The survey"), rows))
        for item in items:
            self.sections.append((item.code, self._item_rows(item, frozen)))
        guard_text_fields(self)

    def _add(self, name, texts, limit, *, multiline=False, disabled=False):
        widget = forms.Textarea(attrs={"rows": 2}) if multiline else forms.TextInput
        self.fields[name] = forms.CharField(
            label=localized(texts, self.main),
            required=False,
            max_length=limit,
            widget=widget,
            initial=(texts or {}).get(self.language, ""),
            disabled=disabled,
        )
        self.fields[name].widget.attrs["lang"] = self.language
        return (localized(texts, self.main), self[name])

    def _item_rows(self, item, frozen):
        rows, where = [], self.item_fields.setdefault(item.pk, {})
        prefix = f"i{item.pk}_"
        for key in ("text", "help_text"):
            texts = getattr(item, key) or {}
            if texts.get(self.main):
                rows.append(self._add(prefix + key, texts, ITEM_TEXT_LIMIT, disabled=frozen))
                where[prefix + key] = (key, None)
        for key, short in (("options", "o"), ("rows", "r")):
            for entry in getattr(item, key) or []:
                name = f"{prefix}{short}_{entry['code']}"
                rows.append(self._add(name, entry.get("text"), ITEM_TEXT_LIMIT, disabled=frozen))
                where[name] = (key, entry["code"])
        for end, label in (item.scale_labels or {}).items():
            if end in ("min", "max") and (label or {}).get(self.main):
                rows.append(self._add(prefix + end, label, ITEM_TEXT_LIMIT, disabled=frozen))
                where[prefix + end] = (end, None)
        return rows

    def survey_texts(self):
        data = self.cleaned_data
        return {name[2:]: data[name].strip() for name in self.fields if name.startswith("s_")}

    def item_texts(self):
        data, out = self.cleaned_data, {}
        for pk, names in self.item_fields.items():
            given: dict = {}
            for name, (key, code) in names.items():
                if self.fields[name].disabled:
                    continue
                value = data.get(name, "").strip()
                if code is None:
                    given[key] = value
                else:
                    given.setdefault(key, {})[code] = value
            if given:
                out[pk] = given
        return out
