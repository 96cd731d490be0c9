"""Facets of the filtered lists: how many records each filter value would give, with the other
filters applied, and the near alternatives an empty list suggests.

Shared by the HTML lists (the filter form, the empty-list suggestions) and the API (the
pagination's count, `stats/organisations`): the counts come from one GROUP BY per facet and are
cached per combination of filters (`caching`), so a warm list costs no count query at all.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import get_language, gettext

from orgs import caching, figure_tags
from orgs.models import Organisation
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


def counts_by_value(filter_, model, records: QuerySet) -> dict[str, int]:
    """`value_counts` by the filter's values: a term's slug (or code, or key), not its id."""
    counts = value_counts(model, filter_.field_name, records)
    keys = getattr(filter_, "keys", None)
    if keys is None:
        return {str(value): count for value, count in counts.items()}
    return {keys[pk]: count for pk, count in counts.items() if pk in keys}


def facet_counts(filterset, name: str) -> dict[str, int]:
    """One facet's counts: every valid filter but its own applied, cached per combination (the
    country facet of `country=DE` is the country facet of the whole list)."""
    filter_ = filterset.filters[name]
    return caching.cached(
        "facet",
        (name, filterset.chosen(name)),
        lambda: counts_by_value(filter_, filterset._meta.model, filterset.filtered_without(name)),
        depends=figure_tags.of_facet(filterset, name),
        stale=True,
    )


def list_count(filterset, without: str = "") -> int:
    """How many records the valid filters (but `without`) select, cached per combination."""
    return caching.cached(
        "count",
        filterset.chosen(without),
        lambda: filterset.filtered_without(without).count(),
        depends=figure_tags.of_count(filterset, without),
        stale=True,
    )


def facets_for(filterset, expanded: str = "") -> list[Facet]:
    """Disjunctive facets: each filter's counts apply every valid filter but its own.

    One GROUP BY per facet on a cold cache, none on a warm one; labels come from the filters'
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
        stale=True,
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
        lambda: counts_by_value(filter_, Organisation, filterset.filtered_without()),
        depends=figure_tags.of_values(filterset, group_by),
        stale=True,
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
