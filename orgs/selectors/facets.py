"""Facets of the filtered lists: how many records each filter value would give, with the other
filters applied, and the near alternatives an empty list suggests.

Shared by the HTML lists (the filter form, the empty-list suggestions) and the API (the
pagination's count, `stats/organisations`): every facet of a list is counted in one statement
(`CountingStatement`: the records each chosen filter selects found once, a search run once,
then one GROUP BY per facet), and cached per combination of filters (`caching`), so a warm
list costs no count query at all.
"""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet
from django.utils.translation import get_language, gettext

from orgs import caching, figure_tags
from orgs.models import PUBLISHED
from orgs.selectors.filters import value_rows
from orgs.wording import common_noun


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


TOP_OPTIONS = 6  # of a long facet, shown before "show all"
LISTED_OPTIONS = 60  # of a very long facet (thousands of networks), then a link to list all
OPEN_FACETS = {"country", "focus", "leadership", "type"}  # open until closed


@dataclass
class Facet:
    """A filter's values with their counts: the ones a page lists (every chosen one among
    them), of `total` values in all."""

    name: str
    label: str
    options: list[Option] = field(default_factory=list)
    expanded: bool = False  # every option listed, however many
    total: int = 0

    @property
    def top(self) -> list[Option]:
        """The options with the most records, and every chosen one."""
        return [o for n, o in enumerate(self.options) if n < TOP_OPTIONS or o.selected]

    @property
    def more(self) -> list[Option]:
        """The options listed after the top ones."""
        return [o for n, o in enumerate(self.options) if n >= TOP_OPTIONS and not o.selected]

    @property
    def unlisted(self) -> int:
        """How many options are left out of the page (shown with `?show=<name>`)."""
        return self.total - len(self.options)

    @property
    def chosen(self) -> bool:
        return any(option.selected for option in self.options)

    @property
    def chosen_labels(self) -> list[str]:
        return [str(option.label) for option in self.options if option.selected]

    @property
    def open(self) -> bool:
        return self.chosen or self.name in OPEN_FACETS


def value_counts(model, path: str, records: QuerySet) -> dict:
    """How many of `records` have each value at `path`: one GROUP BY over the table that holds
    the value (the records' own, a link table or a related table), restricted to the records'
    ids. The value of a relation is the related row's id."""
    name, _, rest = path.partition("__")
    field = model._meta.get_field(name)
    records = records.order_by()
    counted = Count("*")
    if not field.is_relation:
        rows = records.values_list(name)
    elif field.many_to_one:
        rows = records.values_list(field.attname)
    elif field.many_to_many:  # a record has a term once: no DISTINCT needed
        through = field.remote_field.through
        owner, term = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{owner}__in": records.values("pk")})
        rows = rows.values_list(f"{term}_id")
    else:  # rows pointing at the record (citations, memberships), maybe several per value
        owner = field.field
        term = field.related_model._meta.get_field(rest.split("__")[0]).attname
        rows = field.related_model.objects.filter(**{f"{owner.name}__in": records.values("pk")})
        rows = rows.values_list(term)
        counted = Count(owner.attname, distinct=True)
    counts = rows.annotate(count=counted).order_by()
    return {value: count for value, count in counts if value not in (None, "")}


class CountingStatement:
    """The sets of records a list's counts are taken among, as common table expressions of one
    statement: each chosen facet filter's records read once from the rows holding its values
    (a link table), combined by INTERSECT and EXCEPT, which the database hashes or sorts once
    whatever it guesses of their sizes (a guess too small made nested loops of semi-joins).

    The list's records are usually the public ones, filtered by facets alone: then the few
    records the public may not see are taken out (EXCEPT), and the records themselves are never
    read. Otherwise (a search, a date, confirmation) each set is the records the list's other
    filters select among the chosen sets' intersection, found once.
    """

    def __init__(self, filterset, excluded: str = ""):
        records, self.chosen = filterset.counting_parts(excluded)
        self.records_table = records.model._meta.db_table
        self.records_id = records.model._meta.pk.column
        model = records.model
        self.using = records.db
        self.connection = connections[self.using]
        self.quote = self.connection.ops.quote_name
        self.parts, self.params, self.sets = [], [], {}
        public = filterset.queryset.model._base_manager.filter(PUBLISHED).order_by().values("pk")
        self.plain = self.sql(records) == self.sql(public)
        if self.plain:
            self.add(
                "hidden_records", model._base_manager.exclude(PUBLISHED).order_by().values("pk")
            )
        else:
            # Inlined where each set is made: a count by country of a search starts from the
            # country's records and checks the search on those alone (materialised once, a
            # common word's tens of thousands of matches cost more than the whole count).
            self.add("counted_records", records, materialized=False)
        for number, queryset in enumerate(self.chosen.values()):
            self.add(f"chosen_{number}", queryset)

    def sql(self, queryset: QuerySet) -> tuple[str, tuple]:
        try:
            sql, params = queryset.query.get_compiler(using=self.using).as_sql()
        except EmptyResultSet:  # a search that found nothing
            return "SELECT 0 WHERE 1 = 0", ()
        return sql, tuple(params)

    def add(self, name: str, queryset: QuerySet, materialized: bool | None = None):
        sql, params = self.sql(queryset)
        how = ""  # as the database likes: PostgreSQL keeps a set used more than once
        if materialized is not None and self.connection.vendor == "postgresql":
            how = "MATERIALIZED " if materialized else "NOT MATERIALIZED "
        self.parts.append(f"{name}(id) AS {how}({sql})")
        self.params.extend(params)

    def among(self, owner: str, excluded: str = "") -> str:
        """A join and a condition (SQL, to follow `FROM table t`) keeping the rows whose column
        `owner` names a record every filter but `excluded` selects."""
        members = [
            f"SELECT id FROM chosen_{number}"
            for number, name in enumerate(self.chosen)
            if name != excluded
        ]
        if self.plain and len(members) < 2:
            # One set read from a link table, of a size the database knows: it chooses how
            # to join it (duplicates, from several values, make no difference to IN).
            # (A membership of a person names no organisation: NOT EXISTS alone would keep it.)
            visible = f"NOT EXISTS (SELECT 1 FROM hidden_records h WHERE h.id = {owner})"
            conditions = [f"{owner} IN ({member})" for member in members]
            return "WHERE " + " AND ".join([*conditions, f"{owner} IS NOT NULL", visible])
        key = excluded if excluded in self.chosen else ""
        if key not in self.sets:
            self.sets[key] = f"counted_{len(self.sets)}"
            combined = " INTERSECT ".join(members)
            if self.plain:
                combined += " EXCEPT SELECT id FROM hidden_records"
            else:
                combined = "SELECT id FROM counted_records" + (
                    f" WHERE id IN ({combined})" if combined else ""
                )
            self.parts.append(f"{self.sets[key]}(id) AS ({combined})")
        # A join, not IN: each set holds an id once, and the database then uses what it knows
        # of the set's size (for IN it assumed 200 rows and probed an index for each of a
        # common word's 46,000 matches, in every facet).
        return f"JOIN {self.sets[key]} c ON c.id = {owner}"

    def count(self) -> int:
        """How many records every filter (but the statement's `excluded`) selects; only their
        ids are read (an index holds them)."""
        table, owner = self.quote(self.records_table), "t." + self.quote(self.records_id)
        [(count,)] = self.run(f"SELECT COUNT(*) FROM {table} t {self.among(owner)}")
        return count

    def run(self, query: str) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(self.parts)} {query}", self.params)
            return cursor.fetchall()


TOTAL = ""  # the name grouped_counts gives the count of the records every filter selects


def grouped_counts(
    filterset, groups: dict[str, str], total: bool = False
) -> dict[str, dict[str, int]]:
    """For each filter named in `groups`, how many records have each of its values among those
    every valid filter selects but the one `groups[name]` names ("": none), by the filter's
    values (a term's slug, code or key, not its id): one statement, whatever the number of
    facets, one GROUP BY per facet over the table holding its values, all in a UNION ALL.
    With `total`, the count of the records every filter selects too, as {TOTAL: count}."""
    statement = CountingStatement(filterset)
    quote = statement.quote
    model = filterset._meta.model
    arms = []
    if total:
        table, owner = quote(statement.records_table), "t." + quote(statement.records_id)
        arms.append(f"SELECT -1, NULL, COUNT(*) FROM {table} t {statement.among(owner)}")
    for number, (name, excluded) in enumerate(groups.items()):
        rows = value_rows(model, filterset.filters[name].field_name)
        table = quote(rows.model._meta.db_table)
        owner = "t." + quote(rows.model._meta.get_field(rows.owner).column)
        value = "t." + quote(rows.model._meta.get_field(rows.value).column)
        counted = f"COUNT(DISTINCT {owner})" if rows.repeated else "COUNT(*)"
        arms.append(
            f"SELECT {number}, CAST({value} AS TEXT), {counted} FROM {table} t "
            f"{statement.among(owner, excluded)} GROUP BY {value}"
        )
    names = list(groups)
    found = {name: {} for name in names}
    counted = {}
    for number, value, count in statement.run(" UNION ALL ".join(arms)):
        if number < 0:
            counted[TOTAL] = {TOTAL: count}
        elif value not in (None, ""):
            found[names[number]][value] = count
    for name in names:
        counted[name] = by_filter_value(filterset.filters[name], found[name])
    return counted


def by_filter_value(filter_, counts: dict[str, int]) -> dict[str, int]:
    """Counts by stored value (a relation's: the related row's id, as text) by the filter's
    values: a term's slug (or code, or key)."""
    keys = getattr(filter_, "keys", None)
    if keys is None:
        return counts
    return {keys[pk]: counts[str(pk)] for pk in keys if str(pk) in counts}


def every_facet_count(filterset) -> dict[str, dict[str, int]]:
    """Every facet's counts, each applying every valid filter but its own, and the list's count
    (under TOTAL): computed together once per request, the first time a facet missing from the
    cache asks for them."""
    if not hasattr(filterset, "_facet_counts"):
        names = filterset.choice_filters()
        groups = {name: name for name in names}
        filterset._facet_counts = grouped_counts(filterset, groups, total=True)
    return filterset._facet_counts


def facet_counts(filterset, name: str) -> dict[str, int]:
    """One facet's counts: every valid filter but its own applied, cached per combination (the
    country facet of `country=DE` is the country facet of the whole list)."""
    return caching.cached(
        "facet",
        (name, filterset.chosen(name)),
        lambda: every_facet_count(filterset)[name],
        depends=figure_tags.of_facet(filterset, name),
    )


def list_count(filterset, without: str = "") -> int:
    """How many records the valid filters (but `without`) select, cached per combination."""
    return caching.cached(
        "count",
        filterset.chosen(without),
        lambda: count_of(filterset, without),
        depends=figure_tags.of_count(filterset, without),
    )


def count_of(filterset, without: str = "") -> int:
    """The count of `list_count`: the one the facets' statement took along if it ran in this
    request (a list page asks for its facets first), or one statement of its own."""
    if not without and hasattr(filterset, "_facet_counts"):
        return filterset._facet_counts[TOTAL][TOTAL]
    return CountingStatement(filterset, without).count()


def facets_for(filterset, expanded: str = "") -> list[Facet]:
    """Disjunctive facets: each filter's counts apply every valid filter but its own.

    One statement for every facet on a cold cache, none on a warm one; labels come from the filters'
    loaded choices. Chosen values are always listed, with their count (0 when nothing matches);
    the facet named `expanded` lists every option, the others at most LISTED_OPTIONS. The
    facets are cached per combination of filters and language, as the page lists them.
    """
    if expanded not in filterset.choice_filters():
        expanded = ""  # an unknown `?show=` value expands nothing
    if not filterset.is_valid():
        return build_facets(filterset, expanded)
    return caching.cached(
        "facets",
        (filterset.chosen(), expanded, get_language()),
        lambda: build_facets(filterset, expanded),
        depends=figure_tags.of_facets(filterset),
    )


def build_facets(filterset, expanded: str) -> list[Facet]:
    facets = []
    for name, filter_ in filterset.choice_filters().items():
        counts = facet_counts(filterset, name)
        selected = set(filterset.form.cleaned_data.get(name) or [])
        options = [
            Option(str(value), str(label), counts.get(str(value), 0), value in selected)
            for value, label in filter_.extra["choices"]
            if str(value) in counts or value in selected
        ]
        options.sort(key=lambda option: listing_order(option.value, option.count, option.label))
        listed = options if name == expanded else listed_options(options)
        facets.append(Facet(name, str(filter_.label), listed, name == expanded, len(options)))
    return facets


def listed_options(options: list[Option]) -> list[Option]:
    """The first LISTED_OPTIONS options, and every chosen one, in order."""
    rest = [o for n, o in enumerate(options) if n >= TOP_OPTIONS and not o.selected]
    kept = {id(option) for option in rest[: LISTED_OPTIONS - TOP_OPTIONS]}
    return [o for n, o in enumerate(options) if n < TOP_OPTIONS or o.selected or id(o) in kept]


UNKNOWN = "unknown"


def listing_order(value: str, count: int, label: str) -> tuple:
    """Most first, by label on a tie; "unknown" (leadership, form ...) always last."""
    return (value == UNKNOWN, -count, label)


def organisation_counts(filterset, group_by: str) -> dict:
    """How many of the organisations a valid filterset selects fall in each group."""
    filter_ = filterset.filters[group_by]
    labels = {str(value): str(label) for value, label in filter_.extra["choices"]}
    counts = caching.cached(
        "groups",
        (group_by, filterset.chosen()),
        lambda: grouped_counts(filterset, {group_by: ""})[group_by],
        depends=figure_tags.of_values(filterset, group_by),
    )
    groups = [
        {"value": value, "label": labels.get(value, value), "count": count}
        for value, count in counts.items()
    ]
    groups.sort(key=lambda group: listing_order(group["value"], group["count"], group["label"]))
    return {"group_by": group_by, "total": list_count(filterset), "groups": groups}


# Near alternatives to an empty list.


@dataclass
class Alternative:
    label: str
    count: int
    query: list[tuple[str, str]]


def alternatives_for(filterset, facets: list[Facet], query: list[tuple[str, str]], limit=3):
    """Lists near an empty one: without each chosen filter (a count query each), then other
    values of each chosen filter where everything else matches (the facets' counts, no query)."""
    chosen = {name: value for name, value in filterset.form.cleaned_data.items() if value}
    chosen.pop("sort", None)
    alternatives = []
    labels = {facet.name: {o.value: o.label for o in facet.options} for facet in facets}
    for name in chosen:
        if name not in filterset.choice_filters() and name not in ("q", "confirmed"):
            continue
        without = [(key, value) for key, value in query if key != name]
        count = list_count(filterset, without=name)
        if name == "q":
            label = gettext("Without the search “%(query)s”") % {"query": chosen[name]}
        elif name == "confirmed":
            label = gettext("Confirmed by the listed or not")
        else:
            instead = gettext(" or ").join(labels[name].get(value, value) for value in chosen[name])
            label = gettext("Any %(filter)s instead of %(values)s") % {
                "filter": common_noun(filterset.filters[name].label),
                "values": instead,
            }
        alternatives.append(Alternative(label, count, without))
    for facet in facets:
        if facet.name not in chosen:
            continue
        selected = gettext(" or ").join(o.label for o in facet.options if o.selected)
        others = [option for option in facet.options if option.count and not option.selected]
        for option in others[:limit]:
            swapped = [(key, value) for key, value in query if key != facet.name]
            alternatives.append(
                Alternative(
                    gettext("%(value)s instead of %(values)s")
                    % {"value": option.label, "values": selected},
                    option.count,
                    swapped + [(facet.name, option.value)],
                )
            )
    return [alternative for alternative in alternatives if alternative.count]
