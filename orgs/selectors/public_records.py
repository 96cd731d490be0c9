"""Read queries shared by the HTML pages (and, later, the API): lists, facets, like-minded."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language, gettext, ngettext, npgettext
from django_countries import countries

from orgs import caching
from orgs.choices import LED_BY_MIGRANTS
from orgs.models import (
    SEARCH_FIELDS,
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    Country,
    FocusArea,
    Leadership,
    LeadershipClaim,
    LegalForm,
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
from orgs.selectors.search import matching


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
    """The base of the organisations list (HTML and API): what each row shows, prefetched;
    without the long search texts, which no page shows."""
    return public_organisations().defer(*SEARCH_FIELDS).prefetch_related(*PLACES_AND_FOCUS)


def advocate_list() -> QuerySet[Advocate]:
    return (
        public_advocates()
        .defer(*SEARCH_FIELDS)
        .prefetch_related(*PLACES_AND_FOCUS, Prefetch("organisations", public_organisations()))
    )


def network_list() -> QuerySet[Network]:
    return (
        public_networks()
        .defer(*SEARCH_FIELDS)
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


def organisation_memberships() -> QuerySet[Membership]:
    """Organisations' places in public networks (also read by the CSV, `csv_rows`)."""
    return Membership.objects.filter(network__in=public_networks()).select_related("network")


def organisation_records() -> QuerySet[Organisation]:
    """Organisations with everything public about them: for their pages, the API and CSV."""
    affiliations = public_affiliations("advocate", public_advocates())
    return with_public_record(public_organisations().defer(*SEARCH_FIELDS)).prefetch_related(
        Prefetch("affiliations", affiliations), Prefetch("memberships", organisation_memberships())
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
    return (
        public_advocates()
        .defer(*SEARCH_FIELDS)
        .prefetch_related(
            "countries",
            "cities",
            "levels",
            "focus_areas",
            "target_groups",
            Prefetch("affiliations", affiliations),
            Prefetch("citations", AdvocateCitation.objects.select_related("source")),
        )
    )


def network_detail(slug: str) -> QuerySet[Network]:
    return network_records().filter(slug=slug)


def network_members() -> QuerySet[Membership]:
    """Networks' public members, coordinators first (also read by the CSV, `csv_rows`)."""
    return (
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


def network_records() -> QuerySet[Network]:
    return (
        public_networks()
        .defer(*SEARCH_FIELDS)
        .select_related("network_type")
        .prefetch_related(
            Prefetch("aliases", NetworkAlias.objects.select_related("source")),
            "countries",
            "cities",
            "levels",
            "focus_areas",
            "target_groups",
            Prefetch("memberships", network_members()),
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
        found = matching(records(), text)
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
    )


def list_count(filterset, without: str = "") -> int:
    """How many records the valid filters (but `without`) select, cached per combination."""
    return caching.cached(
        "count", filterset.chosen(without), lambda: filterset.filtered_without(without).count()
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
    )
    groups = [
        {"value": value, "label": labels.get(value, value), "count": count}
        for value, count in counts.items()
    ]
    groups.sort(key=lambda group: listing_order(group["value"], group["count"], group["label"]))
    return {"group_by": group_by, "total": list_count(filterset), "groups": groups}


# Overviews for the home, country, focus and report pages.

OVERVIEW_SIZE = 20
OVERVIEW_NETWORKS = 50  # then a link to the networks list, or a count


def organisation_total() -> int:
    return caching.cached("organisations", (), lambda: public_organisations().count())


def directory_counts() -> dict:
    def compute():
        return {
            "organisations": organisation_total(),
            "advocates": public_advocates().count(),
            "networks": public_networks().count(),
            "countries": len(organisations_by_country()),
            "reports": Source.objects.count(),
        }

    return caching.cached("directory", (), compute)


LED = LED_BY_MIGRANTS
NOT_LED = tuple(value for value in Leadership.values if value not in LED)
PUBLIC_BODIES = (LegalForm.PUBLIC_AUTHORITY, LegalForm.COUNCIL, LegalForm.INTERNATIONAL)
NOT_PUBLIC_BODIES = tuple(value for value in LegalForm.values if value not in PUBLIC_BODIES)


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
    counts = caching.cached(
        "headline",
        [(group.leadership, group.forms) for group in groups],
        lambda: public_organisations().aggregate(
            **{
                str(number): Count("pk", filter=group.condition)
                for number, group in enumerate(groups)
            }
        ),
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
    rows = [
        (country.code, country.name, country.organisation_count)
        for country in countries_with_counts()
        if country.organisation_count
    ]
    return sorted(in_language(rows), key=lambda row: (-row[2], row[1]))


def in_language(rows) -> list[tuple[str, str, int]]:
    """(code, name, count) rows with each country named in the active language."""
    return [(code, countries.name(code) or name, count) for code, name, count in rows]


RECORDS = {"organisation": Organisation, "advocate": Advocate, "network": Network}


def links_per_term(relation: str, model) -> dict:
    """How many public `model` records have each term of `relation`: one GROUP BY over the
    link table (or, for reports, the citations), restricted to the public records."""
    field = model._meta.get_field(relation)
    owner = model._meta.model_name
    public = PUBLIC[model]().values("pk")
    if field.many_to_many:
        through = field.remote_field.through
        rows = through.objects.filter(**{f"{owner}__in": public})
        rows = rows.values_list(f"{field.m2m_reverse_field_name()}_id").annotate(n=Count("*"))
    elif field.many_to_one:  # a network's type
        rows = PUBLIC[model]().values_list(field.attname).annotate(n=Count("*"))
    else:  # citations: several per record and report
        rows = field.related_model.objects.filter(**{f"{owner}__in": public})
        rows = rows.values_list("source_id").annotate(n=Count(f"{owner}_id", distinct=True))
    return dict(rows.order_by())


def record_counts(relation: str, kinds=RECORDS) -> dict:
    """{kind: {term id: how many public records of that kind have it}}, cached."""
    return caching.cached(
        "terms",
        (relation, tuple(kinds)),
        lambda: {name: links_per_term(relation, model) for name, model in kinds.items()},
    )


def with_record_counts(terms, relation: str, kinds=RECORDS) -> list:
    """The `terms` (of a many-to-many `relation` of every record, or `citations` for reports),
    each with how many public records of each kind have it, as `<kind>_count`."""
    counts = record_counts(relation, kinds)
    terms = list(terms)
    for term in terms:
        for name in kinds:
            setattr(term, f"{name}_count", counts[name].get(term.pk, 0))
    return terms


def focus_areas_with_counts() -> list:
    terms = with_record_counts(FocusArea.objects.all(), "focus_areas")
    return sorted(terms, key=lambda term: (-term.organisation_count, term.name))


def target_groups_with_counts() -> list:
    return with_record_counts(TargetGroup.objects.order_by("name"), "target_groups")


def levels_with_counts() -> list:
    return with_record_counts(WorkLevel.objects.order_by("position"), "levels")


def countries_with_counts() -> list:
    return with_record_counts(Country.objects.order_by("name"), "countries")


def network_types_with_counts() -> list:
    return with_record_counts(NetworkType.objects.all(), "network_type", {"network": Network})


def sources_with_counts() -> list:
    return with_record_counts(Source.objects.all(), "citations")


def country_overview(code: str) -> dict:
    """What the directory holds in one country (any valid code, with or without records)."""
    organisations = public_organisations().filter(countries=code)
    counts = record_counts("countries")
    by_focus = caching.cached(
        "focus-in-country",
        code,
        lambda: value_counts(Organisation, "focus_areas", organisations),
    )
    focus = with_counts(FocusArea.objects.filter(pk__in=list(by_focus)), by_focus)
    networks = public_networks().filter(countries=code).select_related("network_type")
    return {
        "organisation_count": counts["organisation"].get(code, 0),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:OVERVIEW_SIZE],
        "advocate_count": counts["advocate"].get(code, 0),
        "advocates": public_advocates()
        .filter(countries=code)
        .prefetch_related("countries", "cities")[:50],
        "network_count": counts["network"].get(code, 0),
        "networks": networks[:OVERVIEW_NETWORKS],
        "focus": focus,
    }


def with_counts(terms: QuerySet, counts: dict) -> list:
    """The terms, each with its `count`, most first (by name on a tie)."""
    terms = list(terms)
    for term in terms:
        term.count = counts.get(term.pk, 0)
    return sorted(terms, key=lambda term: (-term.count, term.name))


def focus_overview(focus: FocusArea) -> dict:
    organisations = public_organisations().filter(focus_areas=focus)
    counts = record_counts("focus_areas")
    by_country = caching.cached(
        "countries-of-focus",
        focus.pk,
        lambda: value_counts(Organisation, "countries", organisations),
    )
    names = dict(Country.objects.filter(code__in=list(by_country)).values_list("code", "name"))
    rows = [(code, names[code], count) for code, count in by_country.items() if code in names]
    networks = public_networks().filter(focus_areas=focus)
    return {
        "organisation_count": counts["organisation"].get(focus.pk, 0),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:OVERVIEW_SIZE],
        "advocate_count": counts["advocate"].get(focus.pk, 0),
        "network_count": counts["network"].get(focus.pk, 0),
        "networks": networks.select_related("network_type")[:OVERVIEW_NETWORKS],
        "by_country": sorted(in_language(rows), key=lambda row: (-row[2], row[1])),
    }


def source_overview(source: Source) -> dict:
    cited = Q(citations__source=source)
    organisations = public_organisations().filter(
        pk__in=Organisation.objects.filter(cited).values("pk")
    )
    advocates = public_advocates().filter(pk__in=Advocate.objects.filter(cited).values("pk"))
    networks = public_networks().filter(pk__in=Network.objects.filter(cited).values("pk"))
    counts = record_counts("citations")
    return {
        "organisation_count": counts["organisation"].get(source.pk, 0),
        "organisations": organisations.prefetch_related(*PLACES_AND_FOCUS)[:50],
        "advocate_count": counts["advocate"].get(source.pk, 0),
        "advocates": advocates[:50],
        "network_count": counts["network"].get(source.pk, 0),
        "networks": networks[:OVERVIEW_NETWORKS],
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
        count = list_count(filterset, without=name)
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
    counted = [
        term for term in with_record_counts(related, "focus_areas") if term.organisation_count
    ]
    return sorted(counted, key=lambda term: (-term.organisation_count, term.name))[:limit]
