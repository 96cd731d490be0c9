"""FilterSets for organisations, advocates and networks: one definition for HTML pages and API.

Several values of one filter widen the result (Berlin or Paris); different filters narrow it
(Berlin and housing). Unknown values are form errors, never silently ignored.

Every filter whose values come from a table (countries, cities, vocabularies, reports,
networks) loads its choices once, when the filterset is made: the same query whatever the
request asks for (and none while the terms are unchanged: they are cached), so that
validating the values, labelling them and counting them (the facets) need no query of their own.
"""

from dataclasses import dataclass
from datetime import UTC

import django_filters
from django import forms
from django.db.models import F, Min, Model, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.fields import MultipleChoiceField
from django_filters.filters import IsoDateTimeField

from orgs import caching
from orgs.models import (
    Advocate,
    City,
    Country,
    FocusArea,
    Formalisation,
    Leadership,
    LegalForm,
    NamedInLanguages,
    Network,
    NetworkType,
    Organisation,
    Source,
    TargetGroup,
    WorkLevel,
)
from orgs.selectors.search import MAX_LENGTH, MAX_WORDS, SearchField, matching

MAX_VALUES = 50  # of one filter in one request
SEARCH_IDS = 1000  # matches of a search counted by their ids (more: the search is repeated)


class BoundedMultipleChoiceField(MultipleChoiceField):
    """Several values, at most MAX_VALUES of them, with `normalise` applied to each."""

    normalise = staticmethod(lambda value: value)

    def __deepcopy__(self, memo):
        """Each form's copy of the field shares its choices, which no form changes: copying
        thousands of cities for every request was most of a warm list page's time."""
        result = forms.Field.__deepcopy__(self, memo)  # not ChoiceField's, which copies them
        result._choices = self._choices
        return result

    def to_python(self, value):
        # An empty value is no value, as an unticked box is: `country=` filters nothing.
        return [self.normalise(item) for item in super().to_python(value) if item != ""]

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(
                gettext("Choose at most %(most)s values (got %(count)s).")
                % {"most": MAX_VALUES, "count": len(value)},
                code="too_many",
            )
        super().validate(value)


class UpperCaseMultipleChoiceField(BoundedMultipleChoiceField):
    normalise = staticmethod(str.upper)


@dataclass(frozen=True)
class ValueRows:
    """Where the values a filter chooses among are stored: the rows of `model`, `owner` naming
    the record (a field's attribute name), `value` holding the value (a relation's: the related
    row's id); `repeated` when one record may have one value in several rows (citations of one
    report, memberships of one network)."""

    model: type[Model]
    owner: str
    value: str
    repeated: bool = False


def value_rows(model: type[Model], path: str) -> ValueRows:
    """Where the values at `path` (`leadership`, `countries__code`, `citations__source__key`)
    of `model`'s records are stored: the records' own table, a link table or a related one."""
    name, _, rest = path.partition("__")
    field = model._meta.get_field(name)
    if not field.is_relation or field.many_to_one:
        return ValueRows(model, model._meta.pk.attname, field.attname)
    if field.many_to_many:  # a record has a term once
        through = field.remote_field.through
        owner = through._meta.get_field(field.m2m_field_name()).attname
        term = through._meta.get_field(field.m2m_reverse_field_name()).attname
        return ValueRows(through, owner, term)
    related = field.related_model
    term = related._meta.get_field(rest.split("__")[0]).attname
    return ValueRows(related, field.field.attname, term, repeated=True)


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Several values of a field, matched through a subquery so the list needs no DISTINCT."""

    field_class = BoundedMultipleChoiceField

    def filter(self, qs, value):
        if not value:
            return qs
        rows = value_rows(qs.model, self.field_name)
        if rows.model is qs.model:  # the records' own column: no subquery
            return qs.filter(**{f"{rows.value}__in": self.stored(value)})
        return qs.filter(pk__in=self.selected(qs.model, value))

    def selected(self, model: type[Model], value: list[str]) -> QuerySet:
        """The ids of the records of `model` (published or not) with any of the values, read
        from the rows holding the values alone (a link table: no join with the records)."""
        rows = value_rows(model, self.field_name)
        matching = rows.model._base_manager.filter(**{f"{rows.value}__in": self.stored(value)})
        return matching.order_by().values(rows.owner)

    def stored(self, value: list[str]) -> list:
        """The values as the rows store them."""
        return value


class TermFilter(ChoicesFilter):
    """Values are the slugs (or keys, or codes) of rows of `model`, loaded as its choices."""

    def __init__(
        self,
        model,
        relation,
        key="slug",
        label_field="name",
        order="name",
        listed_at="",
        details=(),
        **kwargs,
    ):
        self.term_model, self.key, self.label_field, self.order = model, key, label_field, order
        # More of each term's fields, read with the choices: {key: (values)} as `details`.
        self.detail_fields, self.details = tuple(details), {}
        help_text = format_lazy(
            "{}: the {} of one (repeat the parameter for any of several), as listed at {}.",
            kwargs["label"],
            key,
            listed_at,
        )
        super().__init__(field_name=f"{relation}__{key}", choices=[], help_text=help_text, **kwargs)

    def stored(self, value: list[str]) -> list:
        """The ids of the terms chosen by their slugs (or keys, or codes)."""
        chosen = set(value)
        return [pk for pk, key in self.keys.items() if key in chosen]

    def load_choices(self):
        """The terms, read once per change of the terms (`caching.terms_depend`), named in the
        page's language where they have names in other languages."""
        terms = self.term_model.objects.all()
        if hasattr(terms, "published"):
            terms = terms.published()  # a hidden network is no choice
        translated = issubclass(self.term_model, NamedInLanguages)
        fields = (
            (self.key, self.label_field, "names") if translated else (self.key, self.label_field)
        )

        width = 1 + len(fields)

        def read():
            rows = terms.order_by(self.order).values_list("pk", *fields, *self.detail_fields)
            rows = list(rows)
            return (
                [row[1:width] for row in rows],
                {row[0]: row[1] for row in rows},
                {row[1]: row[width:] for row in rows},
            )

        parts = (
            self.term_model._meta.label_lower,
            self.key,
            self.label_field,
            self.order,
            *self.detail_fields,
        )
        depends = caching.terms_depend(self.term_model)
        terms_read, self.keys, self.details = caching.remembered(
            "filter-terms", parts, read, depends
        )
        # (the keys by id name the rows the facets count)
        if translated:
            language = get_language()
            self.extra["choices"] = caching.remembered(
                "filter-terms-named",
                (*parts, language),
                lambda: [(key, names.get(language) or label) for key, label, names in terms_read],
                depends,
            )
        else:
            self.extra["choices"] = terms_read
        # A form field built before (and copied with the filter) would keep older choices.
        self.__dict__.pop("_field", None)


class CountryTermFilter(TermFilter):
    """ISO 3166 codes, case-insensitive on input (`de` or `DE`)."""

    field_class = UpperCaseMultipleChoiceField

    def __init__(self, **kwargs):
        super().__init__(
            Country,
            "countries",
            key="code",
            label=_("Country"),
            listed_at="/api/v1/countries/ (ISO 3166-1 alpha-2, e.g. DE; any case)",
            **kwargs,
        )

    def load_choices(self):
        """Each country named in the page's language."""
        super().load_choices()
        stored = self.extra["choices"]
        self.extra["choices"] = caching.remembered(
            "country-names",
            (get_language(),),
            lambda: [(code, countries.name(code) or name) for code, name in stored],
            caching.terms_depend(Country),
        )


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time that every database can store (years 1 to 9999 in UTC)."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError(
                gettext("Enter a date and time, or leave the parameter out.")
            )
        try:
            result = super().to_python(value)
            if result is not None:
                # In UTC: PostgreSQL refuses offsets beyond 15:59 that Python accepts.
                result = result.astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                gettext("Enter a date and time between 0001-01-01 and 9999-12-31 (UTC)."),
                code="range",
            ) from error
        return result


class ModifiedAfterFilter(django_filters.IsoDateTimeFilter):
    field_class = StorableDateTimeField


class SortFilter(django_filters.OrderingFilter):
    """Sort by name, country (its name; records without one last) or last change.

    Names and country names sort by their folded `sort_name`: case and accents are ignored
    alike on every database. Without a choice the queryset keeps its order (the models sort
    by `sort_name`; a search may rank by relevance).
    """

    def __init__(self, **kwargs):
        super().__init__(
            fields=(("sort_name", "name"), ("first_country", "country"), ("updated_at", "updated")),
            field_labels={
                "sort_name": "Name",
                "first_country": "Country",
                "updated_at": "Last update",
            },
            label=_("Sort by"),
            **kwargs,
        )

    def filter(self, qs, value):
        if not value:
            return qs
        orderings = []
        for item in value:
            field_name = self.get_ordering_value(item)
            descending = field_name.startswith("-")
            expression = F(field_name.lstrip("-"))
            if field_name.lstrip("-") == "first_country":
                qs = qs.annotate(first_country=Min("countries__sort_name"))
            orderings.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*orderings, "sort_name", "name", "pk")


class ConfirmedFilter(django_filters.ChoiceFilter):
    """Whether the listed (the person, or the organisation's or network's own people) have
    confirmed or corrected the record themselves: `true` or `false`, anything else refused."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("true", _("Yes")), ("false", _("No"))],
            label=_("Confirmed by the listed"),
            help_text=(
                "true: only records the listed confirmed or corrected themselves (with the "
                "date in `confirmed_on`); false: only records nobody listed has confirmed yet."
            ),
            **kwargs,
        )

    def filter(self, qs, value):
        if value not in ("true", "false"):
            return qs
        return qs.filter(confirmed_on__isnull=value == "false")


class SearchFilter(django_filters.CharFilter):
    """Words to find (see `search`): the same search as the results page's."""

    field_class = SearchField


class DirectoryFilterSet(django_filters.FilterSet):
    """Filters of a directory list, validated once, with what facets and chips need."""

    q = SearchFilter(
        method="search",
        label=_("Search"),
        help_text=(
            "Words in names, aliases, places (countries in English or their own languages), "
            "focus areas, target groups and descriptions; every word must match, in any order, "
            f"ignoring case and accents; most relevant first (up to {MAX_LENGTH} "
            f"characters: at least one letter or digit, at most {MAX_WORDS} words)."
        ),
    )
    modified_after = ModifiedAfterFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Changed since"),
        help_text=(
            "Only records changed at or after this ISO 8601 time, e.g. 2026-01-31T00:00:00Z. "
            "Each list page's Atom feed (`/organisations/feed/`, `/advocates/feed/`, "
            "`/networks/feed/`, with the same filters) announces the same changes, saying what "
            "changed: follow the feed, then fetch the changed records here with "
            "`modified_after` set to the time of the last entry you read."
        ),
    )
    confirmed = ConfirmedFilter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, TermFilter):
                filter_.load_choices()

    def search(self, queryset, name, value):
        return matching(queryset, value)

    def choice_filters(self) -> dict[str, ChoicesFilter]:
        """The filters with a closed set of values: the facets of a list page."""
        return {name: f for name, f in self.filters.items() if isinstance(f, ChoicesFilter)}

    def chosen(self, excluded: str = "") -> tuple:
        """The valid filters' values but `excluded`'s (and sorting), in one canonical form:
        equal for requests that select the same records, to name their cached caching."""
        values = []
        for name, value in sorted(self.form.cleaned_data.items()):
            if name == excluded or isinstance(self.filters[name], SortFilter) or not value:
                continue
            values.append((name, sorted(value) if isinstance(value, list) else str(value)))
        return (self._meta.model._meta.label_lower, *values)

    def listing(self) -> tuple:
        """What identifies the order of the records the valid filters select: the filters and
        the sorting chosen (a search orders by relevance when nothing else is chosen)."""
        return (*self.chosen(), ("sort", self.form.cleaned_data.get("sort") or []))

    def search_ids(self) -> list | None:
        """The ids of the published records the search matches, found once per request; None
        when there are more than SEARCH_IDS (a list that long costs more to send than the
        search does to run again)."""
        if not hasattr(self, "_search_ids"):
            found = matching(self.queryset, self.form.cleaned_data["q"])
            ids = list(found.order_by().values_list("pk", flat=True)[: SEARCH_IDS + 1])
            self._search_ids = ids if len(ids) <= SEARCH_IDS else None
        return self._search_ids

    def filter_queryset(self, queryset):
        """The filters in turn, but the records of facets read from link tables (countries,
        focus areas ...) found as one INTERSECT of those tables' rows: the database hashes it
        once, where a subquery per filter had it walk the list's order probing each table for
        every row until it found a page (a second for three filters at 100k records)."""
        linked = []
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if isinstance(filter_, ChoicesFilter) and value:
                rows = value_rows(queryset.model, filter_.field_name)
                if rows.model is not queryset.model:
                    linked.append(filter_.selected(queryset.model, value))
                    continue
            queryset = filter_.filter(queryset, value)
        if len(linked) > 1:
            queryset = queryset.filter(pk__in=linked[0].intersection(*linked[1:]))
        elif linked:
            queryset = queryset.filter(pk__in=linked[0])
        return queryset

    def counting_parts(self, excluded: str = "") -> tuple[QuerySet, dict[str, QuerySet]]:
        """What the counts are taken from, with every valid filter but `excluded`: the ids of
        the records the filters that are no facet select (the search, as its ids when it has
        few, dates, confirmation), and for each chosen facet filter the ids of every record
        with any of its values."""
        records = self.queryset.order_by()
        chosen = {}
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if name == excluded or isinstance(filter_, SortFilter):
                continue
            if isinstance(filter_, ChoicesFilter):
                if value:
                    chosen[name] = filter_.selected(records.model, value)
            elif name == "q" and value and (ids := self.search_ids()) is not None:
                records = records.filter(pk__in=ids)
            else:
                records = filter_.filter(records, value)
        return records.order_by().values("pk"), chosen


def level_filter():
    return TermFilter(
        WorkLevel, "levels", label=_("Level of work"), order="position", listed_at="/api/v1/levels/"
    )


def report_filter():
    return TermFilter(
        Source, "citations__source", key="key", label_field="short_title", order="year",
        label=_("Report"), listed_at="/api/v1/sources/",
    )  # fmt: skip


class ProfileFilterSet(DirectoryFilterSet):
    """Where a record works and on what: the filters organisations and advocates share."""

    country = CountryTermFilter()
    city = TermFilter(
        City,
        "cities",
        label=_("City"),
        listed_at="each record's cities (e.g. de-berlin)",
        details=("country", "latitude", "longitude"),  # where the list's map draws it
    )
    focus = TermFilter(
        FocusArea, "focus_areas", label=_("Focus area"), listed_at="/api/v1/focus-areas/"
    )
    target_group = TermFilter(
        TargetGroup, "target_groups", label=_("Target group"), listed_at="/api/v1/target-groups/"
    )


class OrganisationFilterSet(ProfileFilterSet):
    leadership = ChoicesFilter(choices=Leadership.choices, label=_("Leadership"))
    form = ChoicesFilter(choices=LegalForm.choices, label=_("Form"))
    level = level_filter()
    network = TermFilter(
        Network, "memberships__network", label=_("Network"), listed_at="/api/v1/networks/"
    )
    source = report_filter()
    sort = SortFilter()

    class Meta:
        model = Organisation
        fields: list[str] = []


class AdvocateFilterSet(ProfileFilterSet):
    level = level_filter()
    source = report_filter()
    sort = SortFilter()

    class Meta:
        model = Advocate
        fields: list[str] = []


class NetworkFilterSet(DirectoryFilterSet):
    type = TermFilter(
        NetworkType,
        "network_type",
        label=_("Type of network"),
        order="position",
        listed_at="/api/v1/network-types/",
    )
    country = CountryTermFilter()
    formalisation = ChoicesFilter(choices=Formalisation.choices, label=_("Degree of formalisation"))
    focus = TermFilter(
        FocusArea, "focus_areas", label=_("Field of action"), listed_at="/api/v1/focus-areas/"
    )
    target_group = TermFilter(
        TargetGroup, "target_groups", label=_("Target group"), listed_at="/api/v1/target-groups/"
    )
    sort = SortFilter()

    class Meta:
        model = Network
        fields: list[str] = []


def active_values(filterset: DirectoryFilterSet) -> list[dict]:
    """Each valid value chosen in a choice filter or the search box, with its labels."""
    active = []
    for name, value in filterset.form.cleaned_data.items():
        filter_ = filterset.filters[name]
        if isinstance(filter_, ChoicesFilter):
            labels = dict(filter_.extra["choices"])
            active += [
                {"name": name, "filter": filter_.label, "value": item, "label": labels[item]}
                for item in value
            ]
        elif name == "q" and value:
            active.append({"name": name, "filter": filter_.label, "value": value, "label": value})
        elif isinstance(filter_, ConfirmedFilter) and value:
            label = dict(filter_.extra["choices"])[value]
            active.append({"name": name, "filter": filter_.label, "value": value, "label": label})
    return active
