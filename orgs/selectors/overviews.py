"""Overviews of the directory: the home page's figures, the country, focus area and report pages,
and the vocabularies with how many public records use each term.

Every figure here counts public records only (`public_records`) and is cached until an edit
changes what it counts (`figure_tags`): the home page and the overviews cost no count query
when warm, and a rename or an edit in another country leaves them warm.
The term counts are also what the API's vocabularies and the like-minded ranking read.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext, npgettext
from django_countries import countries

from orgs import caching, figure_tags
from orgs.choices import LED_BY_MIGRANTS
from orgs.models import (
    Advocate,
    City,
    Country,
    FocusArea,
    Leadership,
    LegalForm,
    Network,
    NetworkType,
    Organisation,
    Source,
    TargetGroup,
    WorkLevel,
)
from orgs.selectors.facets import value_counts
from orgs.selectors.public_records import (
    PLACES_AND_FOCUS,
    PUBLIC,
    public_advocates,
    public_networks,
    public_organisations,
)

# The home page: the directory's counts and its headline figures.

OVERVIEW_SIZE = 20
OVERVIEW_NETWORKS = 50  # then a link to the networks list, or a count


def organisation_total() -> int:
    return caching.cached(
        "organisations",
        (),
        lambda: public_organisations().count(),
        figure_tags.of_totals("organisation"),
    )


def directory_counts() -> dict:
    def compute():
        return {
            "organisations": organisation_total(),
            "advocates": public_advocates().count(),
            "networks": public_networks().count(),
            "countries": len(organisations_by_country()),
            "reports": Source.objects.count(),
        }

    depends = (
        *figure_tags.of_totals(*RECORDS),
        *figure_tags.of_dimension("organisation", "countries"),
    )
    return caching.cached("directory", (), compute, depends)


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
        (
            *figure_tags.of_dimension("organisation", "leadership"),
            *figure_tags.of_dimension("organisation", "form"),
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


# Terms (countries, focus areas, target groups, levels, network types, reports) with how many
# public records of each kind have each: the overview pages, the API's vocabularies, partners.


def organisations_by_country() -> list[tuple[str, str, int]]:
    """(code, name, organisations) of every country with organisations, most first."""
    rows = [
        (country.code, country.name, country.organisation_count)
        for country in countries_with_counts()
        if country.organisation_count
    ]
    return sorted(in_language(rows), key=lambda row: (-row[2], row[1]))


def organisations_by_city() -> list[tuple]:
    """(slug, name, names, country, latitude, longitude, organisations) of every city with
    public organisations, most first: the home and country pages' maps, in one query."""

    def compute():
        rows = (
            City.objects.filter(organisations__in=public_organisations().values("pk"))
            .annotate(count=Count("organisations"))
            .order_by("-count", "name")
            .values_list("slug", "name", "names", "country", "latitude", "longitude", "count")
        )
        return list(rows)

    return caching.cached(
        "organisations-by-city", (), compute, figure_tags.of_dimension("organisation", "cities")
    )


def member_places(network: Network) -> dict:
    """Where a network's public member organisations are: {"countries": {code: count},
    "cities": rows as `organisations_by_city` gives them}, cached (two queries when cold)."""

    def compute():
        members = public_organisations().filter(memberships__network=network).values("pk")
        cities = (
            City.objects.filter(organisations__in=members)
            .annotate(count=Count("organisations"))
            .order_by("-count", "name")
            .values_list("slug", "name", "names", "country", "latitude", "longitude", "count")
        )
        countries = value_counts(Organisation, "countries", members)
        return {"countries": countries, "cities": list(cities)}

    depends = figure_tags.of_value("organisation", "memberships__network", network.pk)
    return caching.cached("member-places", network.pk, compute, depends)


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
    """{kind: {term id: how many public records of that kind have it}}, cached kind by kind:
    an edit of an organisation counts only the organisations anew."""
    return {
        name: caching.cached(
            "terms",
            (relation, name),
            lambda model=model: links_per_term(relation, model),
            figure_tags.of_term_counts(relation, {name: model}),
        )
        for name, model in kinds.items()
    }


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


# One country, focus area or report: its page's figures and first records.


def country_overview(code: str) -> dict:
    """What the directory holds in one country (any valid code, with or without records)."""
    organisations = public_organisations().filter(countries=code)
    counts = record_counts("countries")
    by_focus = caching.cached(
        "focus-in-country",
        code,
        lambda: value_counts(Organisation, "focus_areas", organisations),
        figure_tags.of_value("organisation", "countries", code),
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
        figure_tags.of_value("organisation", "focus_areas", focus.pk),
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


# What an overview without organisations suggests instead.

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
