"""Registry import and export: CSV or XLSX, all-or-nothing, with row-level errors.

A file is read and checked completely before anything is written; any error refuses the
whole import. The same code serves the management command and any future upload page.
"""

import csv
import datetime
import decimal
import io
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mreza.core import exports, safefiles
from mreza.core.audit import acting_as
from mreza.registry import choices
from mreza.registry.models import (
    Country,
    Membership,
    Municipality,
    Organisation,
    PopulationKind,
    Region,
)

KNOWN_COUNTRIES = {
    "BA": ("Bosnia and Herzegovina", "sr"),
    "RS": ("Serbia", "sr"),
    "BG": ("Bulgaria", "bg"),
    "HR": ("Croatia", "sr"),
    "ME": ("Montenegro", "sr"),
    "MK": ("North Macedonia", "bg"),
}

COLUMNS = {
    "associations": (["code", "country", "name"], ["kind"]),
    "regions": (["code", "country", "kind", "name"], ["parent_code"]),
    "municipalities": (
        ["code", "country", "region_code", "name", "type"],
        [
            "part_of",
            "population",
            "census_year",
            "population_kind",
            "population_date",
            "population_source",
            "area_km2",
            "latitude",
            "longitude",
            "website",
            "valid_from",
            "valid_to",
            "associations",
        ],
    ),
}
# Order matters: municipalities refer to regions and associations.
KINDS = ["associations", "regions", "municipalities"]


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str | None = None
    source: str = ""

    def __str__(self):
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RegistryImportError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Table:
    kind: str
    source: str
    rows: list  # (row_number, {column: text})


@dataclass
class Plan:
    created: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unchanged: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    changes: list = field(default_factory=list)  # human-readable lines

    def summary(self):
        return {k: (self.created[k], self.updated[k], self.unchanged[k]) for k in KINDS}


# ---------------------------------------------------------------- reading files


def read_path(path, kind=None, max_bytes=20 * 1024 * 1024):
    """Tables from a CSV file, an XLSX workbook (one sheet per kind) or a folder of CSV files."""
    path = Path(path)
    if path.is_dir():
        tables = []
        for k in KINDS:
            for candidate in (path / f"{k}.csv", path / f"{k}.xlsx"):
                if candidate.exists():
                    tables.extend(read_path(candidate, k, max_bytes))
        if not tables:
            raise RegistryImportError(
                [
                    Problem(
                        _("The folder has no associations, regions or municipalities file."),
                        source=str(path),
                    )
                ]
            )
        return tables
    if not path.exists():
        raise RegistryImportError([Problem(_("File not found."), source=str(path))])
    size = path.stat().st_size
    if size > max_bytes:
        raise RegistryImportError(
            [
                Problem(
                    _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
                    % {"size": size / 1024 / 1024, "limit": max_bytes / 1024 / 1024},
                    source=path.name,
                )
            ]
        )
    return read_bytes(path.read_bytes(), path.name, kind)


def read_bytes(content, filename, kind=None):
    name = filename.lower()
    if name.endswith(".xlsx"):
        _check_archive(content, filename)
        return _read_xlsx(content, filename, kind)
    if name.endswith(".csv"):
        kind = kind or _kind_from_name(filename)
        return [Table(kind, filename, _read_csv(content, filename))]
    raise RegistryImportError(
        [Problem(_("Only .csv and .xlsx files can be imported."), source=filename)]
    )


def _kind_from_name(filename):
    stem = Path(filename).stem.lower()
    for k in KINDS:
        if k in stem:
            return k
    raise RegistryImportError(
        [
            Problem(
                _("Say what the file contains (associations, regions or municipalities)."),
                source=filename,
            )
        ]
    )


def _check_archive(content, filename):
    """The shared ZIP guard (zip bombs, DTDs, non-workbooks), before openpyxl parses anything."""
    limit = getattr(settings, "MREZA_IMPORT_MAX_UNPACKED_BYTES", safefiles.MAX_UNPACKED_BYTES)
    refusal = safefiles.check_zip(content, max_unpacked=limit)
    if refusal is None:
        return
    if refusal.code == safefiles.TOO_MANY:
        message = _(
            "The workbook has %(members)s parts; a registry workbook has far fewer. Save the data "
            "again as a plain workbook or as CSV."
        ) % {"members": refusal.params["members"]}
    elif refusal.code in (safefiles.TOO_LARGE, safefiles.BOMB):
        message = _(
            "The workbook unpacks to more than %(limit)s MB; it cannot be a registry file. "
            "Save the data as CSV or split it."
        ) % {"limit": limit // (1024 * 1024)}
    else:
        message = _("This is not an XLSX workbook.")
    raise RegistryImportError([Problem(message, source=filename)])


def _too_long(column, row, filename, limit=safefiles.MAX_FIELD_CHARS):
    return RegistryImportError(
        [
            Problem(
                _("A value is longer than %(limit)s characters.") % {"limit": limit},
                row=row,
                column=column,
                source=filename,
            )
        ]
    )


def _read_csv(content, filename):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise RegistryImportError(
            [
                Problem(
                    _("The file is not valid UTF-8 text (byte %(byte)s). Save it as “CSV UTF-8”.")
                    % {"byte": error.start},
                    row=line,
                    source=filename,
                )
            ]
        ) from None
    limit = getattr(settings, "MREZA_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    if safefiles.check_text_size(text, max_chars=limit):
        raise RegistryImportError(
            [
                Problem(
                    _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
                    % {"size": len(text) / 1024 / 1024, "limit": limit / 1024 / 1024},
                    source=filename,
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RegistryImportError([Problem(_("The file is empty."), source=filename)]) from None
    except csv.Error:
        raise _too_long(None, 1, filename) from None
    header = [exports.unneutralise(h.strip()) for h in header]
    rows = []
    number = 1
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                rows.append((number, {"__width__": str(len(values))}))
                continue
            rows.append(
                (
                    number,
                    dict(
                        zip(header, (exports.unneutralise(v.strip()) for v in values), strict=True)
                    ),
                )
            )
    except csv.Error:
        # The csv module refuses a field over its limit (128 KB) and says nothing more.
        raise _too_long(None, reader.line_num, filename) from None
    return [(0, {"__header__": header}), *rows]


def _read_xlsx(content, filename, kind):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise RegistryImportError(
            [Problem(_("This is not an XLSX workbook."), source=filename)]
        ) from None
    except (
        Exception
    ):  # broken XML inside a valid archive: openpyxl raises ParseError, ValueError, ...
        raise RegistryImportError(
            [Problem(_("The workbook is damaged and cannot be read."), source=filename)]
        ) from None
    try:
        return _read_sheets(workbook, filename, kind)
    except RegistryImportError:
        raise
    except Exception:  # a sheet's XML is parsed only while its rows are read
        raise RegistryImportError(
            [Problem(_("The workbook is damaged and cannot be read."), source=filename)]
        ) from None
    finally:
        workbook.close()


def _read_sheets(workbook, filename, kind):
    tables = []
    sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
    wanted = [kind] if kind else [k for k in KINDS if k in sheets]
    if not wanted:
        raise RegistryImportError(
            [
                Problem(
                    _("The workbook needs a sheet named associations, regions or municipalities."),
                    source=filename,
                )
            ]
        )
    for k in wanted:
        sheet = sheets.get(k) or workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        try:
            header = [str(h).strip() if h is not None else "" for h in next(iterator)]
        except StopIteration:
            raise RegistryImportError(
                [Problem(_("The sheet is empty."), source=f"{filename} [{sheet.title}]")]
            ) from None
        while header and header[-1] == "":
            header.pop()
        rows = [(0, {"__header__": header})]
        for number, values in enumerate(
            _rows_or_problem(iterator, f"{filename} [{sheet.title}]"), start=2
        ):
            values = list(values[: len(header)]) + [None] * (len(header) - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            record = {h: _cell_text(v) for h, v in zip(header, values, strict=True)}
            for h, text in record.items():
                if len(text) > safefiles.MAX_FIELD_CHARS:
                    raise _too_long(h, number, f"{filename} [{sheet.title}]")
            rows.append((number, record))
        tables.append(Table(k, f"{filename} [{sheet.title}]", rows))
    return tables


def _rows_or_problem(iterator, source):
    """The sheet's rows; a row openpyxl cannot read (NaN or infinity as a number, broken XML) is
    named."""
    number = 1
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception:  # ValueError, ParseError, ... from inside openpyxl
            raise RegistryImportError(
                [
                    Problem(
                        _(
                            "This row cannot be read: it is damaged, or a number cell holds "
                            "something that is not a "
                            "number (such as NaN or infinity). Retype the row's numbers and save "
                            "again."
                        ),
                        row=number + 1,
                        source=source,
                    )
                ]
            ) from None
        number += 1
        yield values


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)  # nan, inf stay recognisable (and are refused by the checks)
    return str(value).strip()


# ---------------------------------------------------------------- checking and applying


def plan_and_apply(tables, dry_run=False, actor_label="import_registry", user=None):
    """Check everything; write only if there is no problem at all (and not a dry run)."""
    problems = []
    parsed = {}
    for table in sorted(tables, key=lambda t: KINDS.index(t.kind)):
        rows, table_problems = _parse(table)
        problems.extend(table_problems)
        parsed.setdefault(table.kind, []).extend(rows)
    if problems:
        raise RegistryImportError(problems)
    plan = Plan()
    with acting_as(user, actor_label), transaction.atomic():
        problems = _apply(parsed, plan)
        if problems:
            transaction.set_rollback(True)
            raise RegistryImportError(problems)
        if dry_run:
            transaction.set_rollback(True)
        else:
            choices.changed(choices.REGIONS, choices.MUNICIPALITIES)  # bulk writes send no signals
    return plan


def _parse(table):
    header_row, *rows = table.rows
    header = header_row[1]["__header__"]
    required, optional = COLUMNS[table.kind]
    problems = []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c and c not in required and c not in optional]
    duplicates = sorted({c for c in header if c and header.count(c) > 1})
    if duplicates:
        problems.append(
            Problem(
                _("Columns appear more than once: %(cols)s. Each column may appear only once.")
                % {"cols": ", ".join(duplicates)},
                row=1,
                source=table.source,
            )
        )
    blank = [str(i) for i, c in enumerate(header, start=1) if not c]
    if blank:
        problems.append(
            Problem(
                _(
                    "Columns without a heading (column number %(cols)s). Give each column one of: "
                    "%(allowed)s, or delete it."
                )
                % {"cols": ", ".join(blank), "allowed": ", ".join(required + optional)},
                row=1,
                source=table.source,
            )
        )
    if missing:
        problems.append(
            Problem(
                _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)},
                row=1,
                source=table.source,
            )
        )
    if unknown:
        problems.append(
            Problem(
                _("Unknown columns: %(cols)s. Allowed: %(allowed)s.")
                % {"cols": ", ".join(unknown), "allowed": ", ".join(required + optional)},
                row=1,
                source=table.source,
            )
        )
    if problems:
        return [], problems
    parsed, seen = [], {}
    for number, values in rows:
        if "__width__" in values:
            problems.append(
                Problem(
                    _("The row has %(n)s fields; the header has %(m)s.")
                    % {"n": values["__width__"], "m": len(header)},
                    row=number,
                    source=table.source,
                )
            )
            continue
        row_problems = []

        def report(message, column, row=number, found=row_problems):
            found.append(Problem(message, row=row, column=column, source=table.source))

        record = _convert(table.kind, values, report)
        code = values.get("code", "")
        if code in seen:
            row_problems.append(
                Problem(
                    _("Duplicate code %(code)s (first on row %(first)s).")
                    % {"code": code, "first": seen[code]},
                    row=number,
                    column="code",
                    source=table.source,
                )
            )
        else:
            seen[code] = number
        problems.extend(row_problems)
        if not row_problems:
            parsed.append((number, table.source, record))
    return parsed, problems


#: Longest text accepted per column (the database's limits); anything else is capped at TEXT_LIMIT.
LENGTHS = {
    "code": 40,
    "country": 2,
    "region_code": 40,
    "parent_code": 40,
    "part_of": 40,
    "name": 200,
    "kind": 20,
    "type": 20,
    "website": 200,
    "population_source": 300,
}
TEXT_LIMIT = 1000


def _check_text(values, report):
    """Every value: no control characters (NUL breaks the XLSX export), within its length."""
    for column, text in values.items():
        character = safefiles.control_character(text)
        if character:
            report(
                _("The value contains a control character (%(char)s). Remove it.")
                % {"char": character},
                column,
            )
            continue
        limit = LENGTHS.get(column, TEXT_LIMIT)
        if column != "associations" and len(text) > limit:
            report(
                _("The value has %(length)s characters; at most %(limit)s are allowed.")
                % {"length": len(text), "limit": limit},
                column,
            )
    website = values.get("website", "")
    if website and safefiles.bidi_control(website):
        report(
            _("A web address must not contain invisible direction marks (%(char)s).")
            % {"char": safefiles.bidi_control(website)},
            "website",
        )


def _convert(kind, values, report):
    record = {}
    _check_text(values, report)
    record.update(values)
    for column in COLUMNS[kind][0]:
        if not values.get(column):
            report(_("A value is required."), column)
    country = values.get("country", "").upper()
    if (
        country
        and country not in KNOWN_COUNTRIES
        and not Country.objects.filter(code=country).exists()
    ):
        report(_("Unknown country code %(code)s.") % {"code": country}, "country")
    record["country"] = country
    if kind == "regions" and values.get("kind") and values["kind"] not in Region.Kind.values:
        report(
            _("Unknown region kind %(value)s. Allowed: %(allowed)s.")
            % {"value": values["kind"], "allowed": ", ".join(Region.Kind.values)},
            "kind",
        )
    if kind == "associations":
        record["kind"] = values.get("kind") or Organisation.Kind.ASSOCIATION
        if record["kind"] not in Organisation.Kind.values:
            report(_("Unknown organisation kind %(value)s.") % {"value": record["kind"]}, "kind")
    if kind == "municipalities":
        if values.get("type") and values["type"] not in Municipality.Type.values:
            report(
                _("Unknown type %(value)s. Allowed: %(allowed)s.")
                % {"value": values["type"], "allowed": ", ".join(Municipality.Type.values)},
                "type",
            )
        record["population"] = _number(
            values.get("population"), int, "population", report, low=0, high=2_000_000_000
        )
        record["census_year"] = _number(
            values.get("census_year"), int, "census_year", report, low=1800, high=2100
        )
        _population_facts(values, record, report)
        record["area_km2"] = _number(
            values.get("area_km2"),
            decimal.Decimal,
            "area_km2",
            report,
            low=0,
            high=decimal.Decimal("9999999.99"),
        )
        if record["area_km2"] is not None and record["area_km2"] <= decimal.Decimal("9999999.99"):
            record["area_km2"] = record["area_km2"].quantize(decimal.Decimal("0.01"))
        record["latitude"] = _number(
            values.get("latitude"), float, "latitude", report, low=-90, high=90
        )
        record["longitude"] = _number(
            values.get("longitude"), float, "longitude", report, low=-180, high=180
        )
        for column in ("valid_from", "valid_to"):
            record[column] = _date(values.get(column), column, report)
        website = values.get("website", "")
        if website and not website.startswith(("http://", "https://")):
            report(_("A website must start with http:// or https://."), "website")
        record["associations"] = [
            a.strip() for a in values.get("associations", "").split(";") if a.strip()
        ]
        record["has_associations_column"] = "associations" in values
    return record


def _population_facts(values, record, report):
    """Kind, reference date and source of the population figure.

    Files without these columns (the older BiH layout) give census figures: a population with a
    census year is read as that census, with no reference day.
    """
    kind = values.get("population_kind", "")
    if kind and kind not in PopulationKind.values:
        report(
            _("Unknown kind of population figure %(value)s. Allowed: %(allowed)s.")
            % {"value": kind, "allowed": ", ".join(PopulationKind.values)},
            "population_kind",
        )
    if not kind and record.get("population") is not None and "population_kind" not in values:
        kind = PopulationKind.CENSUS if record.get("census_year") else ""
    record["population_kind"] = kind
    record["population_date"] = _date(values.get("population_date"), "population_date", report)
    record["population_source"] = values.get("population_source", "")
    if record["population_source"] and len(record["population_source"]) > 300:
        report(_("The source is longer than 300 characters."), "population_source")
    if record.get("population") is None and (kind or record["population_date"]):
        report(_("A kind or date is given but no population."), "population")
    if (
        kind == PopulationKind.CENSUS
        and record["population_date"]
        and record.get("census_year")
        and record["population_date"].year != record["census_year"]
    ):
        report(_("The census year does not match the reference date."), "census_year")


def _number(text, kind, column, report, low=None, high=None):
    if text in (None, ""):
        return None
    shown = text if len(text) <= 40 else text[:39] + "…"
    try:
        if len(text) > 40:
            raise ValueError(text)  # no real figure has 40 digits; Python refuses 4,300 anyway
        value = kind(text.replace(",", ".") if kind is not int else text)
        finite = value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)
    except (ValueError, ArithmeticError):
        finite = False
    if not finite:
        report(_("“%(value)s” is not a number.") % {"value": shown}, column)
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        report(
            _("%(value)s is outside the allowed range %(low)s to %(high)s.")
            % {
                "value": text,
                "low": low if low is not None else "…",
                "high": high if high is not None else "…",
            },
            column,
        )
    return value


def _date(text, column, report):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        report(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text}, column)
        return None


def _country(code, cache):
    if code not in cache:
        name, language = KNOWN_COUNTRIES.get(code, (code, "sr"))
        cache[code], _created = Country.objects.get_or_create(
            code=code, defaults={"name": name, "name_language": language}
        )
    return cache[code]


def _apply(parsed, plan):
    problems = []
    countries = {}
    for _number, _source, r in parsed.get("associations", []):
        obj = Organisation.objects.filter(code=r["code"]).first() or Organisation(code=r["code"])
        _update(
            obj,
            {"name": r["name"], "kind": r["kind"], "country": _country(r["country"], countries)},
            plan,
            "associations",
        )
    regions_in_file = {r["code"]: r for _n, _s, r in parsed.get("regions", [])}
    regions = {reg.code: reg for reg in Region.objects.filter(code__in=list(regions_in_file))}
    # Parents before children: repeat until no region is waiting for a parent.
    pending = list(parsed.get("regions", []))
    while pending:
        waiting = []
        for item in pending:
            number, source, r = item
            parent_code = r.get("parent_code") or ""
            parent = None
            if parent_code:
                parent = regions.get(parent_code) or Region.objects.filter(code=parent_code).first()
                if parent is None:
                    if parent_code in regions_in_file:
                        waiting.append(item)
                        continue
                    problems.append(
                        Problem(
                            _("Unknown parent region %(code)s.") % {"code": parent_code},
                            row=number,
                            column="parent_code",
                            source=source,
                        )
                    )
                    continue
            obj = regions.get(r["code"]) or Region(code=r["code"])
            _update(
                obj,
                {
                    "name": r["name"],
                    "kind": r["kind"],
                    "country": _country(r["country"], countries),
                    "parent": parent,
                },
                plan,
                "regions",
            )
            regions[r["code"]] = obj
        if len(waiting) == len(pending):
            for number, source, _r in waiting:
                problems.append(
                    Problem(
                        _("Region parents form a cycle."),
                        row=number,
                        column="parent_code",
                        source=source,
                    )
                )
            break
        pending = waiting
    rows = parsed.get("municipalities", [])
    if rows:
        problems.extend(_apply_municipalities(rows, plan, countries))
    return problems


def _apply_municipalities(rows, plan, countries):
    problems = []
    codes = [r["code"] for _n, _s, r in rows]
    existing = {
        m.code: m for m in Municipality.objects.filter(code__in=codes).select_related("country")
    }
    region_codes = {r["region_code"] for _n, _s, r in rows}
    regions = {reg.code: reg for reg in Region.objects.filter(code__in=region_codes)}
    organisations = {o.code: o for o in Organisation.objects.all()}
    saved = {}
    for number, source, r in rows:
        region = regions.get(r["region_code"])
        if region is None:
            problems.append(
                Problem(
                    _("Unknown region %(code)s.") % {"code": r["region_code"]},
                    row=number,
                    column="region_code",
                    source=source,
                )
            )
            continue
        unknown = [a for a in r["associations"] if a not in organisations]
        if unknown:
            problems.append(
                Problem(
                    _("Unknown association %(codes)s.") % {"codes": ", ".join(unknown)},
                    row=number,
                    column="associations",
                    source=source,
                )
            )
            continue
        obj = existing.get(r["code"]) or Municipality(code=r["code"])
        values = {
            k: r[k]
            for k in (
                "name",
                "type",
                "population",
                "census_year",
                "population_kind",
                "population_date",
                "population_source",
                "area_km2",
                "latitude",
                "longitude",
                "valid_from",
                "valid_to",
            )
        }
        values.update(
            region=region, country=_country(r["country"], countries), website=r.get("website", "")
        )
        _update(obj, values, plan, "municipalities")
        saved[r["code"]] = (obj, number, source, r)
    if problems:
        return problems
    parents = {
        m.code: m
        for m in Municipality.objects.filter(
            code__in={r["part_of"] for *_x, r in saved.values() if r.get("part_of")}
        )
    }
    for obj, number, source, r in saved.values():
        parent_code = r.get("part_of") or ""
        parent = parents.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            problems.append(
                Problem(
                    _("Unknown city %(code)s.") % {"code": parent_code},
                    row=number,
                    column="part_of",
                    source=source,
                )
            )
            continue
        if obj.part_of_id != (parent.pk if parent else None):
            obj.part_of = parent
            obj.save(update_fields=["part_of"])
        wanted = {organisations[a].pk for a in r["associations"]}
        have = set(
            Membership.objects.filter(municipality=obj).values_list("organisation_id", flat=True)
        )
        for organisation_id in wanted - have:
            Membership.objects.create(municipality=obj, organisation_id=organisation_id)
        if have - wanted and r["has_associations_column"]:
            for membership in Membership.objects.filter(
                municipality=obj, organisation_id__in=have - wanted
            ):
                membership.delete()
    return problems


def _update(obj, values, plan, kind):
    changed = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current, compared = (
                getattr(obj, field.attname),
                (value.pk if value is not None else None),
            )
        else:
            current = compared = getattr(obj, name)
            compared = value
        if current != compared:
            changed[name] = (current, value)
            setattr(obj, name, value)
    if obj.pk is None:
        obj.save()
        plan.created[kind] += 1
        plan.changes.append(
            _("new %(kind)s %(code)s: %(name)s") % {"kind": kind, "code": obj.code, "name": obj}
        )
    elif changed:
        obj.save(update_fields=list(changed))
        plan.updated[kind] += 1
        for name, (old, new) in changed.items():
            plan.changes.append(f"{obj.code} {name}: {old} → {new}")
    else:
        plan.unchanged[kind] += 1


# ---------------------------------------------------------------- export

EXPORT_COLUMNS = COLUMNS["municipalities"][0] + COLUMNS["municipalities"][1]


def export_rows(country_code):
    municipalities = (
        Municipality.objects.filter(country__code=country_code)
        .select_related("country", "region", "part_of")
        .prefetch_related("memberships")
        .order_by("region__code", "name")
    )
    for m in municipalities:
        yield {
            "code": m.code,
            "country": m.country.code,
            "region_code": m.region.code,
            "name": m.name,
            "type": m.type,
            "part_of": m.part_of.code if m.part_of else "",
            "population": m.population or "",
            "census_year": m.census_year or "",
            "population_kind": m.population_kind,
            "population_date": m.population_date or "",
            "population_source": m.population_source,
            "area_km2": m.area_km2 if m.area_km2 is not None else "",
            "latitude": m.latitude if m.latitude is not None else "",
            "longitude": m.longitude if m.longitude is not None else "",
            "website": m.website,
            "valid_from": m.valid_from or "",
            "valid_to": m.valid_to or "",
            "associations": ";".join(sorted(o.code for o in m.memberships.all())),
        }


def export_regions(country_code):
    for r in (
        Region.objects.filter(country__code=country_code).select_related("parent").order_by("code")
    ):
        yield {
            "code": r.code,
            "country": country_code,
            "kind": r.kind,
            "parent_code": r.parent.code if r.parent else "",
            "name": r.name,
        }


def export_associations(country_code):
    """The country's associations and every organisation its municipalities belong to (so a
    re-import works)."""
    from django.db.models import Q

    organisations = (
        Organisation.objects.filter(
            Q(country__code=country_code) | Q(member_municipalities__country__code=country_code)
        )
        .select_related("country")
        .distinct()
        .order_by("code")
    )
    for o in organisations:
        yield {
            "code": o.code,
            "country": o.country.code if o.country else country_code,
            "name": o.name,
            "kind": o.kind,
        }


ASSOCIATION_COLUMNS = COLUMNS["associations"][0] + COLUMNS["associations"][1]
REGION_COLUMNS = COLUMNS["regions"][0] + COLUMNS["regions"][1]


def write_export(country_code, out_path):
    """Associations, regions and municipalities: a folder of CSV files or one workbook, ready to
    re-import.

    Every cell goes through :mod:`mreza.core.exports`, so no text becomes a spreadsheet formula.
    """
    out_path = Path(out_path)
    municipalities = list(export_rows(country_code))
    tables = (
        ("associations", ASSOCIATION_COLUMNS, list(export_associations(country_code))),
        ("regions", REGION_COLUMNS, list(export_regions(country_code))),
        ("municipalities", EXPORT_COLUMNS, municipalities),
    )
    if out_path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        for name, columns, rows in tables:
            _write_sheet(workbook.create_sheet(name), columns, rows)
        workbook.save(out_path)
        return len(municipalities)
    out_path.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in tables:
        with open(out_path / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(exports.row(_plain(row)) for row in rows)
    return len(municipalities)


def _plain(row):
    return {
        k: str(v) if isinstance(v, (datetime.date, decimal.Decimal)) else v for k, v in row.items()
    }


def _write_sheet(sheet, columns, rows):
    exports.append(sheet, columns)
    for row in rows:
        row = _plain(row)
        exports.append(sheet, [row[c] for c in columns])
