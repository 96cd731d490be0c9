"""Importing the reports' fixtures into the database, without undoing the editors' changes.

Once loaded, the database owns the records: editors change them, and a later import must not
undo that. `import_fixtures` therefore remembers, for every row it writes, a hash of what it
wrote (`ImportStamp`). On the next import a row is
- created when it is missing and was never imported (a deleted row stays deleted);
- left alone when its source has not changed since the last import;
- updated when its source changed and its current fields still hash as imported (nobody
  edited it), and kept as it is, with a line in the report, when somebody did;
- reported, never deleted, when its source no longer lists it.
`force=True` writes every fixture over the database, re-creating deleted rows too.

A database with records but no stamp at all was loaded before imports were stamped, by a
loader that wrote fixtures over rows and left no way to edit them: its rows are taken as
unedited, brought up to date and stamped.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from orgs import caching, search
from orgs.models import Erasure, ImportStamp
from orgs.services.history import one_history_entry
from orgs.services.leadership import refresh_leadership
from orgs.services.places import locate_cities


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # already as the source says (a stamp may have been written)
    kept_edited: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)  # its parent was deleted or kept
    no_longer_listed: list[str] = field(default_factory=list)
    erased: int = 0  # rows of people whose data was erased (privacy.erase): never re-created

    def lines(self) -> list[str]:
        lines = [
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.kept_edited)} kept as edited, {len(self.kept_deleted)} kept deleted, "
            f"{len(self.no_longer_listed)} no longer listed by their source."
            + (f" {self.erased} rows of erased people left out." if self.erased else "")
        ]
        for title, items in (
            (
                "Edited since the last import, so the source's change was not applied",
                self.kept_edited,
            ),
            ("Deleted since the last import, so not re-created", self.kept_deleted),
            ("Not imported, because a record it belongs to is missing", self.not_imported),
            ("No longer listed by their source, and left in the database", self.no_longer_listed),
        ):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        return lines


def erased_key(model_label: str, key: str) -> str:
    """The hash an `Erasure` keeps of an import key, in place of the key (which names them)."""
    return hashlib.sha256(f"{model_label} {key}".encode()).hexdigest()


def content_hash(fields: dict) -> str:
    """A hash of fixture fields: the same for the same values, whatever their order."""
    canonical = {
        name: sorted(value, key=json.dumps) if isinstance(value, list) and is_m2m(value) else value
        for name, value in fields.items()
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def is_m2m(value: list) -> bool:
    """A list of natural keys (a many-to-many field), whose order carries no meaning."""
    return all(isinstance(item, list) for item in value)


def current_fields(instance: models.Model, names) -> dict:
    """The row's fields as a fixture would write them, restricted to `names`."""
    serialised = serializers.serialize(
        "json", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    fields = json.loads(serialised)[0]["fields"]
    # The primary key of a model keyed by a field of its own (a country's code).
    fields[instance._meta.pk.name] = json.loads(json.dumps(instance.pk, cls=DjangoJSONEncoder))
    return {name: fields.get(name) for name in names}


def unedited_hashes(model, now: dict, fixture: dict) -> set[str]:
    """The hashes the row's stamp has if nobody edited the row: the hash of its fields, or,
    when the fixture gives a value to a field the model gained since the row was imported
    (still at its default), the hash without those fields, which that import did not write."""
    gained = {
        name
        for name, value in fixture.items()
        if now[name] != value and is_default(model, name, now[name])
    }
    return {
        content_hash(now),
        content_hash({name: value for name, value in now.items() if name not in gained}),
    }


def is_default(model, name: str, value) -> bool:
    field_ = model._meta.get_field(name)
    if field_.is_relation or not field_.has_default():
        return False
    return json.loads(json.dumps(field_.get_default(), cls=DjangoJSONEncoder)) == value


class MissingRecord(Exception):
    """A fixture object names a row that is not in the database (deleted, or kept out)."""


class RowIndex:
    """Database ids by natural key, loaded once per model, so an import needs no lookups."""

    def __init__(self):
        self.ids: dict[type, dict[str, int]] = {}

    def of(self, model) -> dict[str, int]:
        if model not in self.ids:
            rows = model.objects.values_list("pk", *model.natural_key_fields)
            self.ids[model] = {key_text(row[1:]): row[0] for row in rows}
        return self.ids[model]

    def find(self, model, natural_key) -> int | None:
        return self.of(model).get(key_text(natural_key))

    def resolve(self, model, natural_key) -> int:
        pk = self.find(model, natural_key)
        if pk is None:
            raise MissingRecord(f"{model._meta.label_lower} {key_text(natural_key)}")
        return pk

    def add(self, instance: models.Model, natural_key):
        self.of(type(instance))[key_text(natural_key)] = instance.pk


def key_text(natural_key) -> str:
    return json.dumps(list(natural_key), ensure_ascii=False)


def natural_key_of(model, fields: dict) -> list:
    """A fixture object's natural key, read from its fields (a relation's part from its key)."""
    return [path_value(model, path, fields) for path in model.natural_key_fields]


def path_value(model, path: str, fields: dict):
    name, _, rest = path.partition("__")
    value = fields.get(name)
    if not rest or value is None:
        return value
    related = model._meta.get_field(name).related_model
    return value[related.natural_key_fields.index(rest)]


def build_instance(model, fields: dict, index: RowIndex) -> tuple[models.Model, dict]:
    """An unsaved row and its many-to-many ids from fixture fields, related rows by key."""
    data, many = {}, {}
    for name, value in fields.items():
        field_ = model._meta.get_field(name)
        if field_.many_to_many:
            many[name] = [index.resolve(field_.related_model, item) for item in value]
        elif field_.is_relation:
            data[field_.attname] = (
                None if value is None else index.resolve(field_.related_model, value)
            )
        else:
            data[field_.attname] = field_.to_python(value)
    return model(**data), many


def import_fixtures(paths: list[Path], force: bool = False) -> ImportReport:
    """Imports fixture files (in load order) as described in the module docstring; atomic."""
    report = ImportReport()
    stamps = {(stamp.model, stamp.key): stamp for stamp in ImportStamp.objects.all()}
    adopt_unstamped = not stamps
    erased = {key for erasure in Erasure.objects.all() for key in erasure.import_keys}
    index = RowIndex()
    seen: set[tuple[str, str]] = set()
    written: dict[tuple[str, str], ImportStamp] = {}
    # Each record's search document is rebuilt once, after everything in it was written.
    with transaction.atomic(), search.deferred():
        for path in paths:
            for item in json.loads(path.read_text(encoding="utf-8")):
                stamp = import_object(
                    item, path.stem, stamps, index, seen, report, force, adopt_unstamped, erased
                )
                if stamp is not None:
                    written[(stamp.model, stamp.key)] = stamp
        save_stamps(stamps, written)
        locate_cities()  # the new cities' coordinates, for the map
        caching.changed()
        listed_files = {path.stem for path in paths}
        report.no_longer_listed = sorted(
            f"{model} {key}"
            for (model, key), stamp in stamps.items()
            if (model, key) not in seen and stamp.report in listed_files
        )
    return report


def import_object(
    item, file, stamps, index: RowIndex, seen, report: ImportReport, force, adopt_unstamped, erased
):
    """Imports one fixture object; returns the stamp to write, if it wrote (or matched) it."""
    model = apps.get_model(item["model"])
    label, fields = model._meta.label_lower, item["fields"]
    natural_key = natural_key_of(model, fields)
    key = key_text(natural_key)
    seen.add((label, key))
    if erased and erased_key(label, key) in erased:
        report.erased += 1
        return None
    digest = content_hash(fields)
    stamp = stamps.get((label, key))
    pk = index.find(model, natural_key)
    if pk is not None and stamp is not None and stamp.content_hash == digest and not force:
        report.unchanged += 1
        return None
    if pk is None and stamp is not None and not force:
        report.kept_deleted.append(f"{label} {key}")
        return None
    try:
        instance, many = build_instance(model, fields, index)
    except MissingRecord as missing:
        report.not_imported.append(f"{label} {key}: no {missing}")
        return None

    if pk is None:
        save(instance, many, f"Imported from {file}")
        index.add(instance, natural_key)
        report.created += 1
    else:
        current = model.objects.get(pk=pk)
        now_fields = current_fields(current, fields)
        if content_hash(now_fields) == digest:
            report.unchanged += 1
        elif force or (
            stamp.content_hash in unedited_hashes(model, now_fields, fields)
            if stamp
            else adopt_unstamped
        ):
            copy_fields(instance, current, many, fields, f"Imported from {file}")
            report.updated += 1
        else:
            # Edited since it was imported, or made by someone else before it was imported.
            report.kept_edited.append(f"{label} {key}")
            return None
    return ImportStamp(model=label, key=key, report=file, content_hash=digest)


def save_stamps(stamps: dict, written: dict):
    new = [stamp for key, stamp in written.items() if key not in stamps]
    ImportStamp.objects.bulk_create(new, batch_size=500)
    changed = []
    for key, stamp in written.items():
        if key in stamps:
            stamps[key].report, stamps[key].content_hash = stamp.report, stamp.content_hash
            changed.append(stamps[key])
    ImportStamp.objects.bulk_update(changed, ["report", "content_hash"], batch_size=500)


def save(instance: models.Model, many: dict, reason: str = ""):
    with search.deferred(), one_history_entry(instance, many, reason):
        instance.save()
        for name, ids in many.items():
            getattr(instance, name).set(ids)
    after_write(instance)


def copy_fields(source: models.Model, target: models.Model, m2m_data: dict, names, reason=""):
    concrete = [target._meta.get_field(name).attname for name in names if name not in m2m_data]
    for attname in concrete:
        setattr(target, attname, getattr(source, attname))
    save(target, {name: m2m_data[name] for name in names if name in m2m_data}, reason)


def after_write(instance: models.Model):
    """Keeps what is derived from a row true once the row changed."""
    organisation = getattr(instance, "organisation", None)
    if instance._meta.model_name == "leadershipclaim" and organisation is not None:
        refresh_leadership(organisation)
