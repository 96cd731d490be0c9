"""Read queries shared by the HTML pages (and, later, the API): lists, facets, like-minded."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext, ngettext, npgettext
from django_countries import countries

from . import search
from .models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    Country,
    FocusArea,
    Form,
    Leadership,
    LeadershipClaim,
    Membership,
    MembershipCitation,
    Network,
    NetworkAlias,
    NetworkCitation,
    NetworkType,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    Source,
    TargetGroup,
    WorkLevel,
)


def public_organisations() -> QuerySet[Organisation]:
    """Every organisation an anonymous visitor may see: the base of every public read."""
    return Organisation.objects.published()


def public_advocates() -> QuerySet[Advocate]:
    return Advocate.objects.published()


def public_networks() -> QuerySet[Network]:
    return Network.objects.published()


PUBLIC = {
    Organisation: public_organisations,
    Advocate: public_advocates,
    Network: public_networks,
}


PLACES_AND_FOCUS = ("countries", "cities", "focus_areas")


def organisation_list() -> QuerySet[Organisation]:
    """The base of the organisations list (HTML and API): what each row shows, prefetched."""
    return public_organisations().prefetch_related(*PLACES_AND_FOCUS)


def advocate_list() -> QuerySet[Advocate]:
    return public_advocates().prefetch_related(
        *PLACES_AND_FOCUS, Prefetch("organisations", public_organisations())
    )


def network_list() -> QuerySet[Network]:
    return (
        public_networks()
        .select_related("network_type")
        .prefetch_related(*PLACES_AND_FOCUS, "aliases")
    )


def with_public_record(organisations: QuerySet) -> QuerySet:
    """Everything public about each organisation: names, places, terms, claims and sources."""
    return organisations.prefetch_related(
        Prefetch("aliases", OrganisationAlias.objects.select_related("source")),
        "countries",
        "cities",
        "levels",
        "focus_areas",
        "target_groups",
        Prefetch("leadership_claims", LeadershipClaim.objects.select_related("source")),
        Prefetch("citations", OrganisationCitation.objects.select_related("source")),
    )


def organisations_for_export(filterset) -> QuerySet:
    return with_public_record(filterset.qs)


def public_affiliations(other_side: str, public: QuerySet) -> QuerySet[Affiliation]:
    """Affiliations with a public record on `other_side`, current first, with citations."""
    return (
        Affiliation.objects.filter(**{f"{other_side}__in": public})
        .select_related(other_side)
        .prefetch_related(
            Prefetch("citations", AffiliationCitation.objects.select_related("source"))
        )
        .order_by("-is_current", f"{other_side}__name")
    )


def organisation_records() -> QuerySet[Organisation]:
    """Organisations with everything public about them: for their pages, the API and CSV."""
    affiliations = public_affiliations("advocate", public_advocates())
    memberships = Membership.objects.filter(network__in=public_networks()).select_related("network")
    return with_public_record(public_organisations()).prefetch_related(
        Prefetch("affiliations", affiliations), Prefetch("memberships", memberships)
    )


def organisation_detail(slug: str) -> QuerySet[Organisation]:
    return organisation_records().filter(slug=slug)


def with_personal_addresses(records: QuerySet) -> QuerySet:
    """Advocates or networks with their personal address: for token holders and editors only."""
    return records.select_related("personal_address")


def advocate_detail(slug: str) -> QuerySet[Advocate]:
    aliases = AdvocateAlias.objects.select_related("source")
    return advocate_records().filter(slug=slug).prefetch_related(Prefetch("aliases", aliases))


def advocate_records() -> QuerySet[Advocate]:
    affiliations = public_affiliations("organisation", public_organisations())
    return public_advocates().prefetch_related(
        "countries",
        "cities",
        "levels",
        "focus_areas",
        "target_groups",
        Prefetch("affiliations", affiliations),
        Prefetch("citations", AdvocateCitation.objects.select_related("source")),
    )


def network_detail(slug: str) -> QuerySet[Network]:
    return network_records().filter(slug=slug)


def network_records() -> QuerySet[Network]:
    memberships = (
        Membership.objects.filter(
            Q(organisation__isnull=True) | Q(organisation__in=public_organisations()),
            Q(advocate__isnull=True) | Q(advocate__in=public_advocates()),
        )
        .select_related("organisation", "advocate")
        .prefetch_related(
            Prefetch("citations", MembershipCitation.objects.select_related("source"))
        )
        .order_by("role", "organisation__name")
    )
    return (
        public_networks()
        .select_related("network_type")
        .prefetch_related(
            Prefetch("aliases", NetworkAlias.objects.select_related("source")),
            "countries",
            "cities",
            "levels",
            "focus_areas",
            "target_groups",
            Prefetch("memberships", memberships),
            Prefetch("citations", NetworkCitation.objects.select_related("source")),
        )
    )


# Search across the directory: the results page.


@dataclass
class SearchSection:
    """The best matches of one kind of record, and how many match in all."""

    name: str
    records: list
    count: int
    list_url: str = ""  # the list with the query, where the filters apply
    browse_url: str = ""  # the whole list


# Organisations first, then fewer advocates and networks.
SEARCH_SECTIONS = (
    ("organisations", organisation_list, 10),
    ("advocates", advocate_list, 5),
    ("networks", network_list, 5),
)


def search_everything(text: str) -> list[SearchSection]:
    """The same search as the lists' `q` filter, over each kind of record."""
    sections = []
    for name, records, size in SEARCH_SECTIONS:
        found = search.matching(records(), text)
        best = list(found[:size])
        count = len(best) if len(best) < size else found.count()
        sections.append(SearchSection(name, best, count))
    return sections


# Facets: how many records each filter value would give, with the other filters applied.


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


TOP_OPTIONS = 6  # of a long facet, shown before "show all"
OPEN_FACETS = {"country", "focus", "leadership", "type"}  # open until closed


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)

    @property
    def top(self) -> list[Option]:
        """The options with the most records, and every chosen one."""
        return [o for n, o in enumerate(self.options) if n < TOP_OPTIONS or o.selected]

    @property
    def more(self) -> list[Option]:
        return [o for n, o in enumerate(self.options) if n >= TOP_OPTIONS and not o.selected]

    @property
    def chosen(self) -> bool:
        return any(option.selected for option in self.options)

    @property
    def open(self) -> bool:
        return self.chosen or self.name in OPEN_FACETS


def value_counts(model, path: str, records: QuerySet) -> dict[str, int]:
    """How many of `records` have each value at `path` (a field, or a related row's key)."""
    rows = (
        model._base_manager.filter(pk__in=records.values("pk"))
        .values_list(path)
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return {str(value): count for value, count in rows if value not in (None, "")}


def facets_for(filterset) -> list[Facet]:
    """Disjunctive facets: each filter's counts apply every valid filter but its own.

    One query per facet, whatever is chosen; labels come from the filters' loaded choices.
    Chosen values are always listed, with their count (0 when nothing matches).
    """
    model = filterset._meta.model
    facets = []
    for name, filter_ in filterset.choice_filters().items():
        counts = value_counts(model, filter_.field_name, filterset.filtered_without(name))
        selected = set(filterset.form.cleaned_data.get(name) or [])
        options = [
            Option(str(value), str(label), counts.get(str(value), 0), value in selected)
            for value, label in filter_.extra["choices"]
            if str(value) in counts or value in selected
        ]
        options.sort(key=lambda option: listing_order(option.value, option.count, option.label))
        facets.append(Facet(name, str(filter_.label), options))
    return facets


UNKNOWN = "unknown"


def listing_order(value: str, count: int, label: str) -> tuple:
    """Most first, by label on a tie; "unknown" (leadership, form ...) always last."""
    return (value == UNKNOWN, -count, label)


def organisation_counts(filterset, group_by: str) -> dict:
    """How many of the organisations a valid filterset selects fall in each group."""
    filter_ = filterset.filters[group_by]
    records = filterset.qs
    labels = {str(value): str(label) for value, label in filter_.extra["choices"]}
    counts = value_counts(Organisation, filter_.field_name, records)
    groups = [
        {"value": value, "label": labels.get(value, value), "count": count}
        for value, count in counts.items()
    ]
    groups.sort(key=lambda group: listing_order(group["value"], group["count"], group["label"]))
    return {"group_by": group_by, "total": records.count(), "groups": groups}


# Overviews for the home, country, focus and report pages.

OVERVIEW_SIZE = 20


def directory_counts() -> dict:
    return {
        "organisations": public_organisations().count(),
        "advocates": public_advocates().count(),
        "networks": public_networks().count(),
        "countries": Country.objects.filter(organisations__in=public_organisations())
        .distinct()
        .count(),
        "reports": Source.objects.count(),
    }


LED = (Leadership.MIGRANT_LED, Leadership.REFUGEE_LED, Leadership.DIASPORA_LED)
NOT_LED = tuple(value for value in Leadership.values if value not in LED)
PUBLIC_BODIES = (Form.PUBLIC_AUTHORITY, Form.COUNCIL, Form.INTERNATIONAL)
NOT_PUBLIC_BODIES = tuple(value for value in Form.values if value not in PUBLIC_BODIES)


@dataclass
class HeadlineGroup:
    """Organisations with one of `leadership` (and one of `forms`, if given): exactly the
    organisations list with those filters, so that a figure and its link always agree."""

    kind: str  # a key of HEADLINE_LABELS
    leadership: tuple[str, ...]
    forms: tuple[str, ...] = ()
    count: int = 0

    @property
    def label(self) -> str:
        return HEADLINE_LABELS[self.kind](self.count)

    @property
    def condition(self) -> Q:
        condition = Q(leadership__in=self.leadership)
        return condition & Q(form__in=self.forms) if self.forms else condition

    @property
    def filters(self) -> list[tuple[str, str]]:
        return [("leadership", value) for value in self.leadership] + [
            ("form", value) for value in self.forms
        ]


def headline_groups() -> list[HeadlineGroup]:
    """Organisations led by migrants, refugees or the diaspora, then public bodies, others, and
    those whose leadership is unknown, last: every organisation in exactly one group."""
    groups = [
        HeadlineGroup("migrant-led", (Leadership.MIGRANT_LED,)),
        HeadlineGroup("refugee-led", (Leadership.REFUGEE_LED,)),
        HeadlineGroup("diaspora-led", (Leadership.DIASPORA_LED,)),
        HeadlineGroup("public", NOT_LED, PUBLIC_BODIES),
        HeadlineGroup(
            "other",
            tuple(value for value in NOT_LED if value != Leadership.UNKNOWN),
            NOT_PUBLIC_BODIES,
        ),
        HeadlineGroup("unknown", (Leadership.UNKNOWN,), NOT_PUBLIC_BODIES),
    ]
    counts = public_organisations().aggregate(
        **{str(number): Count("pk", filter=group.condition) for number, group in enumerate(groups)}
    )
    for number, group in enumerate(groups):
        group.count = counts[str(number)]
    return groups


# What each headline figure counts, after its number ("51 migrant-led organisations").
HEADLINE_LABELS = {
    "migrant-led": lambda count: npgettext(
        "headline", "migrant-led organisation", "migrant-led organisations", count
    ),
    "refugee-led": lambda count: npgettext(
        "headline", "refugee-led organisation", "refugee-led organisations", count
    ),
    "diaspora-led": lambda count: npgettext(
        "headline", "diaspora-led organisation", "diaspora-led organisations", count
    ),
    "public": lambda count: ngettext(
        "public body or international organisation",
        "public bodies and international organisations",
        count,
    ),
    "other": lambda count: ngettext("other organisation", "other organisations", count),
    "unknown": lambda count: ngettext(
        "organisation whose leadership is not known",
        "organisations whose leadership is not known",
        count,
    ),
}


def organisations_by_country() -> list[tuple[str, str, int]]:
    """(code, name, organisations) of every country with organisations, most first."""
    rows = (
        Country.objects.filter(organisations__in=public_organisations())
        .values_list("code", "name")
        .annotate(count=Count("organisations"))
        .order_by("-count", "name")
    )
    return in_language(rows)


def in_language(rows) -> list[tuple[str, str, int]]:
    """(code, name, count) rows with each country named in the active language."""
    return [(code, countries.name(code) or name, count) for code, name, count in rows]


def count_of(rows: QuerySet, key: str, counted: str) -> Coalesce:
    """How many distinct `counted` of `rows` point at the outer row through `key`: a
    subquery per count, so that several counts do not multiply each other."""
    per_key = (
        rows.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(count=Count(counted, distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(per_key, output_field=IntegerField()), 0)


RECORDS = {"organisation": Organisation, "advocate": Advocate, "network": Network}


def with_record_counts(terms: QuerySet, relation: str) -> QuerySet:
    """Terms of a many-to-many `relation` of every record, with how many public ones have each."""
    key = terms.model._meta.model_name
    counts = {}
    for name, model in RECORDS.items():
        through = model._meta.get_field(relation).remote_field.through
        public = PUBLIC[model]().values("pk")
        counts[f"{name}_count"] = count_of(
            through.objects.filter(**{f"{name}__in": public}), key, name
        )
    return terms.annotate(**counts)


def focus_areas_with_counts() -> QuerySet:
    return with_record_counts(FocusArea.objects, "focus_areas").order_by(
        "-organisation_count", "name"
    )


def target_groups_with_counts() -> QuerySet:
    return with_record_counts(TargetGroup.objects, "target_groups").order_by("name")


def levels_with_counts() -> QuerySet:
    return with_record_counts(WorkLevel.objects, "levels").order_by("position")


def countries_with_counts() -> QuerySet:
    return with_record_counts(Country.objects, "countries").order_by("name")


def network_types_with_counts() -> QuerySet:
    networks = public_networks()
    return NetworkType.objects.annotate(network_count=count_of(networks, "network_type", "pk"))


def sources_with_counts() -> QuerySet:
    counts = {
        f"{name}_count": count_of(
            model._meta.get_field("citations").related_model.objects.filter(
                **{f"{name}__in": PUBLIC[model]().values("pk")}
            ),
            "source",
            name,
        )
        for name, model in RECORDS.items()
    }
    return Source.objects.annotate(**counts)


def country_overview(code: str) -> dict:
    """What the directory holds in one country (any valid code, with or without records)."""
    organisations = public_organisations().filter(countries=code)
    advocates = public_advocates().filter(countries=code)
    focus = (
        FocusArea.objects.filter(organisations__in=organisations)
        .annotate(count=Count("organisations"))
        .order_by("-count", "name")
    )
    return {
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:OVERVIEW_SIZE],
        "advocate_count": advocates.count(),
        "advocates": advocates.prefetch_related("countries", "cities")[:50],
        "networks": public_networks().filter(countries=code).select_related("network_type"),
        "focus": list(focus),
    }


def focus_overview(focus: FocusArea) -> dict:
    organisations = public_organisations().filter(focus_areas=focus)
    by_country = (
        Country.objects.filter(organisations__in=organisations)
        .values_list("code", "name")
        .annotate(count=Count("organisations"))
        .order_by("-count", "name")
    )
    return {
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:OVERVIEW_SIZE],
        "advocate_count": public_advocates().filter(focus_areas=focus).count(),
        "networks": public_networks().filter(focus_areas=focus).select_related("network_type"),
        "by_country": in_language(by_country),
    }


def source_overview(source: Source) -> dict:
    cited = Q(citations__source=source)
    organisations = public_organisations().filter(
        pk__in=Organisation.objects.filter(cited).values("pk")
    )
    advocates = public_advocates().filter(pk__in=Advocate.objects.filter(cited).values("pk"))
    return {
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:50],
        "advocate_count": advocates.count(),
        "advocates": advocates[:50],
        "networks": public_networks().filter(pk__in=Network.objects.filter(cited).values("pk")),
        "surveys": list(source.surveys.all()),
    }


def focus_area(slug: str) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(slug=slug)


def source(key: str) -> QuerySet[Source]:
    return Source.objects.filter(key=key)


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
        if name not in filterset.choice_filters() and name != "q":
            continue
        without = [(key, value) for key, value in query if key != name]
        count = filterset.filtered_without(name).count()
        if name == "q":
            label = gettext("Without the search “%(query)s”") % {"query": chosen[name]}
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


def common_noun(label) -> str:
    """A filter's label inside a sentence: lowercase, but in German, which capitalises nouns."""
    return str(label) if get_language() == "de" else str(label).lower()


BEYOND_ONE_COUNTRY = ("eu", "global")  # levels of work of organisations that reach any country


def organisations_beyond_one_country() -> int:
    """For a country without organisations: those working at EU or global level."""
    levels = WorkLevel.objects.filter(slug__in=BEYOND_ONE_COUNTRY)
    matching = Organisation.objects.filter(levels__in=levels).values("pk")
    return public_organisations().filter(pk__in=matching).count()


def related_focus_areas(focus: FocusArea, limit: int = 3) -> list[FocusArea]:
    """For a focus without organisations: the focus areas its advocates and networks also work
    on that organisations do, most organisations first."""
    advocates = public_advocates().filter(focus_areas=focus).values("pk")
    networks = public_networks().filter(focus_areas=focus).values("pk")
    related = FocusArea.objects.filter(
        Q(
            pk__in=Advocate.focus_areas.through.objects.filter(advocate__in=advocates).values(
                "focusarea"
            )
        )
        | Q(
            pk__in=Network.focus_areas.through.objects.filter(network__in=networks).values(
                "focusarea"
            )
        )
    ).exclude(pk=focus.pk)
    counted = with_record_counts(related, "focus_areas").filter(organisation_count__gt=0)
    return list(counted.order_by("-organisation_count", "name")[:limit])
