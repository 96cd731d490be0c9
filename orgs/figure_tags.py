"""What each cached figure depends on, and what an edit retires.

Every cached figure (the lists' counts, facets, page windows, rendered cards and API pages, the
groups of `stats/organisations`, the overviews' counts, the like-minded partners) is cached
under *tags* (`caching.retire`): an edit retires only the figures of the lists the edited
record is part of, before and after, and the counts it changes.

A record of kind K has values in *dimensions*: the relations and fields its list filters by
(`countries`, `cities`, `focus_areas`, `memberships__network`, `leadership` ...; a term's
value is its id). Its tags:

- `K:D:v` for each value v it has in dimension D, before the edit or after it, and
  `K:D:v:counted` too when any of its values, or its publication, changed (or it is made or
  deleted): a rename changes what its lists show, not what they count; `K:D:v:ordered` when
  that, or its name, changed: a new description changes neither what they count nor their order;
- `K:D:v:held` when v was given to it or taken from it, or it is made, deleted, published or
  hidden: how many records have v changed;
- `K:all` always; `K:public` when it is made, deleted, published or hidden; `K:ordered` when
  `K:D:v:ordered` are;
- `K:D:*` when its values in D change (or it is made, deleted, published or hidden);
- `K:names` when its name or address changes (other kinds' lists show them);
- `K:search` when its search texts change (`search.refresh`: an organisation's rename is in
  its advocates' texts too);
- `K:epoch` for what is not followed value by value: a row that is part of a record (aliases,
  citations, claims, affiliations, memberships, private addresses), a term added from the
  term's side, and every bulk write (`caching.changed`, which retires all tags).

A figure of a list depends on `K:epoch`, and:

- with chosen values in any filter: the `K:D:v` of the chosen values of one filter (every
  record the figure counts or shows has one of them, so its edit retires the figure); a
  count or a facet `K:D:v:counted` instead, unless a search, `modified_after` or `confirmed`
  narrows the list (an edit moves `updated_at`, and may change a text or a confirmation);
- with none, but a search, `modified_after` or `confirmed`: `K:all`;
- with nothing chosen at all: `K:public` for a count, `K:public` and `K:D:*` for the facet of
  dimension D (the country facet of `country=DE` is the whole list's), `K:ordered` for the
  ids of its pages (by name or country; `K:all` by the time of the last change), `K:all`
  for anything that shows records;
- with a search: `K:search` too;
- the choices of the filters (`caching.terms_depend`): the term tables, networks' names.

What other kinds' fields a list shows (read in its templates and serializers): the cards of
advocates name their public organisations (`organisation:names`); the API's organisations
name their advocates and networks, its advocates their organisations, its networks their
member organisations and advocates. Roles in affiliations and memberships are rows of their
own, retired by `K:epoch`. Terms' names (countries, focus areas ...) are in every card: a term
change retires everything.

Beside the lists: a count of public records depends on `K:public` (and `K:epoch`); how many
have each value of a dimension D on `K:D:*` too (the home page's charts, the overview pages,
the term weights of like-minded partners); a figure among the records with one value (the
focus areas of Greece's organisations) on `K:D:v:counted`. An organisation's like-minded
partners each share one of its focus areas f: they depend on `organisation:focus_areas:f` (any
edit of a partner, before or after) and on `K:D:v:held` of each of its terms v (their weights:
how many records have v, which changes only when v is given or taken, or a record that has it
is made, deleted, published or hidden).
Anything else (the API's vocabularies and surveys) depends on every record's edit
(`of_everything`).
"""

from django.db import router
from django.db.models import CharField, Value
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from orgs import caching
from orgs.models import Advocate, Network, Organisation
from orgs.selectors.filters import (
    AdvocateFilterSet,
    ChoicesFilter,
    NetworkFilterSet,
    OrganisationFilterSet,
    SortFilter,
    TermFilter,
)

FILTERSETS = {
    Organisation: OrganisationFilterSet,
    Advocate: AdvocateFilterSet,
    Network: NetworkFilterSet,
}
# Which filter's values a figure depends on, when several are chosen: the one likely to
# select the fewest records first, so that the fewest edits retire it.
PREFERENCE = ("city", "network", "source", "country", "type", "target_group", "focus", "level")
# Fields of a record that other kinds' lists show.
NAMED_BY = ("name", "slug", "is_published")
# Other kinds whose names a kind's list shows, on the web pages and in the API.
SHOWS_ON_PAGES = {"advocate": ("organisation",)}
SHOWS_IN_API = {
    "organisation": ("advocate", "network"),
    "advocate": ("organisation",),
    "network": ("organisation", "advocate"),
}


def dimension(filter_) -> str:
    """What a choice filter filters by: a relation (a term filter's path without its key) or
    a field of the record."""
    if isinstance(filter_, TermFilter):
        return filter_.field_name.rsplit("__", 1)[0]
    return filter_.field_name


def dimensions(model) -> list[str]:
    filters = FILTERSETS[model].base_filters.values()
    return [dimension(f) for f in filters if isinstance(f, ChoicesFilter)]


def kind_of(filterset) -> str:
    return filterset._meta.model._meta.model_name


# What a figure depends on.


def chosen_tags(filterset, without: str = "", suffix: str = "") -> tuple[list[str], bool]:
    """The `K:D:v` tags of one chosen filter's values (`K:D:v:counted`, `K:D:v:ordered` with
    that `suffix`, unless another filter narrows the list: an edit moves `updated_at`, may
    change a search text or a confirmation), empty when none is chosen; and whether another
    filter (a search, a date, `confirmed`) narrows the list."""
    kind = kind_of(filterset)
    choices = filterset.choice_filters()
    chosen, narrowed = {}, False
    for name, value in filterset.form.cleaned_data.items():
        if name == without or not value or isinstance(filterset.filters[name], SortFilter):
            continue
        if name in choices:
            chosen[name] = value
        else:
            narrowed = True
    if not chosen:
        return [], narrowed
    name = min(chosen, key=lambda n: (PREFERENCE.index(n) if n in PREFERENCE else 99, n))
    filter_ = choices[name]
    keys = getattr(filter_, "keys", None)
    if keys is not None:  # the chosen slugs (or codes, keys) as the terms' ids
        ids = {key: pk for pk, key in keys.items()}
        values = [ids[value] for value in chosen[name] if value in ids]
    else:
        values = chosen[name]
    if not values:  # a valid filter has known values: should none be known, depend on all
        return [f"{kind}:all"], narrowed
    suffix = "" if narrowed else suffix
    return [f"{kind}:{dimension(filter_)}:{value}{suffix}" for value in values], narrowed


def base_tags(filterset, without: str = "") -> list[str]:
    kind = kind_of(filterset)
    tags = [caching.epoch(kind)]
    if without != "q" and filterset.form.cleaned_data.get("q"):
        tags.append(f"{kind}:search")
    return tags


def of_count(filterset, without: str = "") -> tuple[str, ...]:
    """What the count of the records the valid filters (but `without`) select depends on."""
    kind = kind_of(filterset)
    chosen, narrowed = chosen_tags(filterset, without, ":counted")
    if not chosen:
        chosen = [f"{kind}:all" if narrowed else f"{kind}:public"]
    return (*base_tags(filterset, without), *chosen)


def of_values(filterset, name: str, without: str = "") -> tuple[str, ...]:
    """What the counts of filter `name`'s values among the records the valid filters (but
    `without`) select depend on."""
    kind = kind_of(filterset)
    chosen, narrowed = chosen_tags(filterset, without, ":counted")
    if chosen or narrowed:
        return of_count(filterset, without)
    values = f"{kind}:{dimension(filterset.filters[name])}:*"
    return (*of_count(filterset, without), values)


def of_facet(filterset, name: str) -> tuple[str, ...]:
    """A facet's counts: its values among the records every filter but its own selects."""
    return of_values(filterset, name, without=name)


def of_facets(filterset) -> tuple[str, ...]:
    """Every facet of a list, with its options' labels (the filters' choices)."""
    tags = set()
    for name, filter_ in filterset.choice_filters().items():
        tags.update(of_facet(filterset, name))
        if isinstance(filter_, TermFilter):
            tags.update(caching.terms_depend(filter_.term_model))
    return tuple(sorted(tags))


def of_records(filterset, shows: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What the records a list shows, in its order, depend on: their own fields (any edit of
    one of them), and the names of the kinds in `shows` that they name."""
    kind = kind_of(filterset)
    chosen, _ = chosen_tags(filterset)
    tags = (*base_tags(filterset), *(chosen or [f"{kind}:all"]), caching.TERMS)
    return (*tags, *(caching.names(other) for other in shows))


def of_order(filterset) -> tuple[str, ...]:
    """The ids of a list's records in its order (by name, or by country): what its records'
    names, values and publication are; anything, sorted by the time of the last change."""
    kind = kind_of(filterset)
    if any("updated" in sort for sort in filterset.form.cleaned_data.get("sort") or []):
        return of_records(filterset)
    chosen, narrowed = chosen_tags(filterset, suffix=":ordered")
    if not chosen:
        chosen = [f"{kind}:all" if narrowed else f"{kind}:ordered"]
    return (*base_tags(filterset), *chosen, caching.TERMS)


def of_page(filterset) -> tuple[str, ...]:
    """A list's rendered cards on the web pages."""
    return of_records(filterset, SHOWS_ON_PAGES.get(kind_of(filterset), ()))


def of_api_page(filterset) -> tuple[str, ...]:
    """A page of the API's list."""
    return of_records(filterset, SHOWS_IN_API.get(kind_of(filterset), ()))


# What the figures beside the lists depend on: the overviews' counts and the like-minded
# partners, which an edit of one record retires only when it changes what they count.


def of_totals(*kinds: str) -> tuple[str, ...]:
    """How many public records of each kind there are."""
    return tuple(tag for kind in kinds for tag in (caching.epoch(kind), f"{kind}:public"))


def of_dimension(kind: str, path: str) -> tuple[str, ...]:
    """How many public records of `kind` have each value at `path` (a dimension of its list)."""
    return (*of_totals(kind), f"{kind}:{path}:*", caching.TERMS)


def of_term_counts(relation: str, kinds) -> tuple[str, ...]:
    """How many public records of each of `kinds` have each term of `relation` (a relation's
    name: `focus_areas`, `citations` ...), whether or not its list filters by it (a network's
    levels: `retire_relinked` follows every relation of a record)."""
    tags = {caching.TERMS}
    for kind, model in kinds.items():
        paths = [path for path in dimensions(model) if path.partition("__")[0] == relation]
        tags.update(of_totals(kind))
        tags.update(f"{kind}:{path}:*" for path in paths or [relation])
    return tuple(sorted(tags))


def of_value(kind: str, path: str, value) -> tuple[str, ...]:
    """A figure counted among the public records of `kind` that have `value` at `path`."""
    return (caching.epoch(kind), f"{kind}:{path}:{value}:counted", caching.TERMS)


def of_everything(kinds=caching.KINDS) -> tuple[str, ...]:
    """A figure that may show anything of the records of `kinds`: any edit of one retires it."""
    tags = {caching.TERMS}
    for model in FILTERSETS:
        kind = model._meta.model_name
        if kind in kinds:
            tags |= {caching.epoch(kind), f"{kind}:all"} | every_dimension(model)
    return tuple(sorted(tags))


def of_partners(shared: dict[str, list], weighed: dict[str, list]) -> tuple[str, ...]:
    """The like-minded partners of an organisation: every partner shares one of its `shared`
    values (its focus areas, by dimension), so any edit of a partner, before or after, retires
    them; the weights of its `weighed` terms count the organisations that have them."""
    kind = "organisation"
    tags = {*of_totals(kind), caching.TERMS}
    tags |= {f"{kind}:{path}:{value}" for path, values in shared.items() for value in values}
    tags |= {f"{kind}:{path}:{value}:held" for path, values in weighed.items() for value in values}
    return tuple(sorted(tags))


# What an edit retires.


def relation_values(model, pk, using: str = "default") -> set[tuple[str, str]]:
    """The record's values in every dimension that is a relation: one query, on the database
    written to (`using`; never a replica, which may not hold them yet)."""
    queries = []
    for path in dimensions(model):
        name, _, rest = path.partition("__")
        field = model._meta.get_field(name)
        if field.many_to_many:
            through = field.remote_field.through
            rows = through.objects.using(using).filter(**{f"{field.m2m_field_name()}_id": pk})
            value = f"{field.m2m_reverse_field_name()}_id"
        elif field.one_to_many:
            rows = field.related_model.objects.using(using).filter(**{field.field.attname: pk})
            value = field.related_model._meta.get_field(rest.split("__")[0]).attname
        else:
            continue  # a field of the record's own
        queries.append(
            rows.annotate(
                dimension=Value(path, output_field=CharField()),
                value=Cast(value, output_field=CharField()),
            )
            .values_list("dimension", "value")
            .order_by()
        )
    if not queries:
        return set()
    return set(queries[0].union(*queries[1:], all=True))


def own_fields(model) -> dict[str, str]:
    """The dimensions that are the record's own fields, with their attribute names."""
    found = {}
    for path in dimensions(model):
        field = model._meta.get_field(path.partition("__")[0])
        if field.concrete and not field.many_to_many:
            found[path] = field.attname
    return found


def own_values(model, values: dict) -> set[tuple[str, str]]:
    """The record's values in its own dimensions, from its fields (`values`: by attribute)."""
    return {
        (path, str(values[attname]))
        for path, attname in own_fields(model).items()
        if values.get(attname) not in (None, "")
    }


def watched(model, instance) -> dict:
    """What of a record's own fields decides which figures its edit retires."""
    attnames = {*own_fields(model).values(), *NAMED_BY}
    return {attname: getattr(instance, attname) for attname in attnames}


def tags_of(model, values: set[tuple[str, str]], counted=True, ordered=True) -> set[str]:
    """The tags of the lists a record with `values` is on: of what they show; if `counted`
    (its values or its publication changed), of what they count; if `ordered` (that, or its
    name changed), of their order."""
    kind = model._meta.model_name
    tags = {f"{kind}:{path}:{value}" for path, value in values} | {f"{kind}:all"}
    if counted:
        tags |= {f"{kind}:{path}:{value}:counted" for path, value in values}
    if counted or ordered:
        tags |= {f"{kind}:{path}:{value}:ordered" for path, value in values} | {f"{kind}:ordered"}
    return tags


def held(model, values: set[tuple[str, str]]) -> set[str]:
    """The tags of how many public records have each of `values`: retired when one of them is
    given to a record or taken from it, or a record that has it is made, deleted, published or
    hidden."""
    kind = model._meta.model_name
    return {f"{kind}:{path}:{value}:held" for path, value in values}


def every_dimension(model) -> set[str]:
    kind = model._meta.model_name
    return {f"{kind}:{path}:*" for path in dimensions(model)} | {
        f"{kind}:public",
        caching.names(kind),
    }


def remember_before(sender, instance, raw=False, **kwargs):
    """The fields of a record as saved before this save or delete (one query); its relations'
    values too before a delete, which removes them without a signal."""
    instance._figures_before = None
    if instance.pk is None or instance._state.adding:
        return
    attnames = list({*own_fields(sender).values(), *NAMED_BY})
    # Read where the write goes, never from a replica that may be behind.
    using = router.db_for_write(sender, instance=instance)
    saved = sender._base_manager.using(using).filter(pk=instance.pk)
    instance._figures_before = saved.values(*attnames).first()
    if kwargs.get("signal") is pre_delete:
        instance._figures_relations = relation_values(sender, instance.pk, using)


def retire_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_figures_before", None)
    after = watched(sender, instance)
    if created or before is None:
        values = own_values(sender, after)
        caching.retire(tags_of(sender, values) | held(sender, values) | every_dimension(sender))
        return
    kind = sender._meta.model_name
    values = own_values(sender, before) | own_values(sender, after)
    moved = {
        path for path, attname in own_fields(sender).items() if before[attname] != after[attname]
    }
    published = before["is_published"] != after["is_published"]
    values |= relation_values(sender, instance.pk)
    renamed = before["name"] != after["name"]
    tags = tags_of(sender, values, counted=bool(moved) or published, ordered=renamed)
    tags |= {f"{kind}:{path}:*" for path in moved}
    tags |= held(sender, {(path, value) for path, value in values if path in moved})
    if published:
        tags |= every_dimension(sender) | held(sender, values)
    if any(before[attname] != after[attname] for attname in NAMED_BY):
        tags.add(caching.names(kind))
    caching.retire(tags)


def retire_deleted(sender, instance, **kwargs):
    values = getattr(instance, "_figures_relations", set())
    values |= own_values(sender, getattr(instance, "_figures_before", None) or {})
    caching.retire(tags_of(sender, values) | held(sender, values) | every_dimension(sender))


def retire_relinked(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A record's terms changed: its lists before and after; from the term's side (a city's
    `organisations.add`), its kind's every list."""
    owner, field = relinked[sender]
    kind = owner._meta.model_name
    if not action.startswith(("pre_", "post_")) or action == "pre_add":
        return
    if reverse:
        if action.startswith("post_"):
            caching.retire([caching.epoch(kind)])
        return
    if action in ("pre_remove", "pre_clear"):
        instance._figures_relations = relation_values(owner, instance.pk)
        return
    values = getattr(instance, "_figures_relations", set())
    values |= relation_values(owner, instance.pk) | own_values(owner, watched(owner, instance))
    counted = field.name in dimensions(owner)
    if pk_set is None:  # cleared: every value it had (none known for a relation no list filters by)
        given_or_taken = {(path, value) for path, value in values if path == field.name}
    else:
        given_or_taken = {(field.name, str(pk)) for pk in pk_set}
    if counted:
        values |= given_or_taken
    # What counts records by this relation, whether or not a list filters by it (the overviews
    # count a network's levels of work).
    tags = held(owner, given_or_taken) | {f"{kind}:{field.name}:*"}
    caching.retire(tags | tags_of(owner, values, counted, ordered=False))


# Each link table of a record's terms: (the record's model, the field).
relinked: dict = {}


def connect():
    """Follows every save, delete and change of terms of the lists' records (instead of
    `caching.on_change`, which retires everything)."""
    for model in FILTERSETS:
        uid = f"figure-tags-{model._meta.label_lower}"
        pre_save.connect(remember_before, sender=model, dispatch_uid=uid)
        pre_delete.connect(remember_before, sender=model, dispatch_uid=uid)
        post_save.connect(retire_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(retire_deleted, sender=model, dispatch_uid=uid)
        caching.followed.add(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # affiliations: rows of their own (`caching.on_change`)
            relinked[through] = (model, field)
            m2m_changed.connect(
                retire_relinked, sender=through, dispatch_uid=f"figure-tags-{through}"
            )
            caching.followed.add(through)
