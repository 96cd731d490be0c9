"""Read queries shared by the HTML pages (and, later, the API): lists, facets, like-minded."""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_countries import countries

from .models import (
    Advocate,
    AdvocateCitation,
    Affiliation,
    City,
    FocusArea,
    Form,
    Formalisation,
    Leadership,
    Membership,
    Network,
    NetworkCitation,
    NetworkType,
    Organisation,
    OrganisationCitation,
    Source,
    TargetGroup,
    WorkLevel,
)


def organisations_for(filterset) -> QuerySet:
    """The organisations a valid filterset selects, ready for a list page."""
    return filterset.qs.prefetch_related("cities", "focus_areas")


def with_public_record(organisations: QuerySet) -> QuerySet:
    """Everything public about each organisation: names, places, terms and sources."""
    return organisations.prefetch_related(
        "aliases",
        "cities",
        "levels",
        "focus_areas",
        "target_groups",
        Prefetch("citations", OrganisationCitation.objects.select_related("source")),
    )


def organisation_detail(slug: str) -> QuerySet:
    return with_public_record(Organisation.objects.filter(slug=slug)).prefetch_related(
        Prefetch(
            "affiliations", Affiliation.objects.select_related("advocate").order_by("advocate")
        ),
        Prefetch("memberships", Membership.objects.select_related("network")),
    )


def organisations_for_export(filterset) -> QuerySet:
    return with_public_record(filterset.qs)


def advocates_for(filterset) -> QuerySet:
    return filterset.qs.prefetch_related("cities", "focus_areas", "organisations")


def advocate_detail(slug: str) -> QuerySet:
    return Advocate.objects.filter(slug=slug).prefetch_related(
        "cities",
        "levels",
        "focus_areas",
        "target_groups",
        Prefetch("affiliations", Affiliation.objects.select_related("organisation", "source")),
        Prefetch("citations", AdvocateCitation.objects.select_related("source")),
    )


def networks_for(filterset) -> QuerySet:
    return filterset.qs.select_related("network_type").prefetch_related("focus_areas", "cities")


def network_detail(slug: str) -> QuerySet:
    return (
        Network.objects.filter(slug=slug)
        .select_related("network_type")
        .prefetch_related(
            "cities",
            "focus_areas",
            "target_groups",
            Prefetch(
                "memberships",
                Membership.objects.select_related("organisation", "advocate").order_by(
                    "role", "organisation__name"
                ),
            ),
            Prefetch("citations", NetworkCitation.objects.select_related("source")),
        )
    )


# Facets: how many organisations each filter value would give, with the other filters applied.


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)


def vocabulary_counts(vocabulary, relation: str, key: str = "slug"):
    """Counts per term of a vocabulary (or any named model) among the given record ids."""

    def count(ids: QuerySet):
        counted = Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True)
        terms = vocabulary.objects.annotate(count=counted).filter(count__gt=0)
        return [(getattr(term, key), str(term), term.count) for term in terms]

    return count


def choice_counts(model, path: str, labels: dict):
    """Counts per value of a plain field (country, leadership, ...) among the given ids."""

    def count(ids: QuerySet):
        rows = (
            model.objects.filter(pk__in=ids)
            .values_list(path)
            .annotate(count=Count("pk", distinct=True))
            .order_by()
        )
        return [(value, str(labels.get(value, value)), n) for value, n in rows if value]

    return count


COUNTRY_NAMES = dict(countries)

FACETS = {
    Organisation: {
        "country": ("Country", choice_counts(Organisation, "country", COUNTRY_NAMES)),
        "city": ("City", vocabulary_counts(City, "organisations")),
        "focus": ("Focus area", vocabulary_counts(FocusArea, "organisations")),
        "target_group": ("Target group", vocabulary_counts(TargetGroup, "organisations")),
        "leadership": (
            "Leadership",
            choice_counts(Organisation, "leadership", dict(Leadership.choices)),
        ),
        "form": ("Form", choice_counts(Organisation, "form", dict(Form.choices))),
        "level": ("Level of work", vocabulary_counts(WorkLevel, "organisations")),
        "network": ("Network", vocabulary_counts(Network, "memberships__organisation")),
        "source": (
            "Report",
            vocabulary_counts(Source, "organisationcitations__organisation", key="key"),
        ),
    },
    Advocate: {
        "country": ("Country", choice_counts(Advocate, "country", COUNTRY_NAMES)),
        "city": ("City", vocabulary_counts(City, "advocates")),
        "focus": ("Focus area", vocabulary_counts(FocusArea, "advocates")),
        "target_group": ("Target group", vocabulary_counts(TargetGroup, "advocates")),
        "level": ("Level of work", vocabulary_counts(WorkLevel, "advocates")),
        "source": ("Report", vocabulary_counts(Source, "advocatecitations__advocate", key="key")),
    },
    Network: {
        "type": ("Type of network", vocabulary_counts(NetworkType, "networks")),
        "country": ("Country", choice_counts(Network, "country", COUNTRY_NAMES)),
        "formalisation": (
            "Degree of formalisation",
            choice_counts(Network, "formalisation", dict(Formalisation.choices)),
        ),
        "focus": ("Field of action", vocabulary_counts(FocusArea, "networks")),
        "target_group": ("Target group", vocabulary_counts(TargetGroup, "networks")),
    },
}


def facets_for(filterset_class, data) -> list[Facet]:
    """Disjunctive facets: each filter's counts apply every filter but its own."""
    model = filterset_class._meta.model
    facets = []
    for name, (label, counter) in FACETS[model].items():
        others = data.copy()
        others.pop(name, None)
        filterset = filterset_class(others, queryset=model.objects.all())
        if not filterset.is_valid():
            facets.append(Facet(name, label))
            continue
        selected = set(data.getlist(name))
        options = [
            Option(str(value), text, count, str(value) in selected)
            for value, text, count in counter(filterset.qs.order_by().values("pk"))
        ]
        options.sort(key=lambda option: (-option.count, option.label))
        facets.append(Facet(name, label, options))
    return facets


# Like-minded organisations: ranked by what they share.

FOCUS_WEIGHT, TARGET_GROUP_WEIGHT, LEVEL_WEIGHT = 3, 2, 1


def shared_count(relation_model, field: str, ids: list[int]):
    """How many of `ids` an organisation shares, as a correlated subquery (no join fan-out)."""
    through = relation_model.through.objects.filter(
        organisation=OuterRef("pk"), **{f"{field}__in": ids}
    )
    counted = through.values("organisation").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class LikeMinded:
    organisation: Organisation
    score: int
    shared_focus: list
    shared_target_groups: list
    shared_levels: list

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.shared_focus:
            noun = "focus area" if len(self.shared_focus) == 1 else "focus areas"
            names = ", ".join(term.name.lower() for term in self.shared_focus)
            reasons.append(f"{len(self.shared_focus)} shared {noun}: {names}")
        if self.shared_target_groups:
            count = len(self.shared_target_groups)
            noun = "target group" if count == 1 else "target groups"
            names = ", ".join(term.name.lower() for term in self.shared_target_groups)
            reasons.append(f"{count} shared {noun}: {names}")
        if self.shared_levels:
            names = " and ".join(level.name for level in self.shared_levels)
            reasons.append(f"both {names} level")
        return reasons


def like_minded(organisation: Organisation, other_countries: bool = False, limit: int = 10):
    """Organisations sharing the most focus areas, target groups and levels of work."""
    focus = [term.pk for term in organisation.focus_areas.all()]
    groups = [term.pk for term in organisation.target_groups.all()]
    levels = [term.pk for term in organisation.levels.all()]
    if not (focus or groups or levels):
        return []
    candidates = Organisation.objects.exclude(pk=organisation.pk)
    if other_countries and organisation.country:
        candidates = candidates.exclude(country=organisation.country)
    ranked = (
        candidates.annotate(
            focus_shared=shared_count(Organisation.focus_areas, "focusarea", focus),
            groups_shared=shared_count(Organisation.target_groups, "targetgroup", groups),
            levels_shared=shared_count(Organisation.levels, "worklevel", levels),
        )
        .annotate(
            score=F("focus_shared") * FOCUS_WEIGHT
            + F("groups_shared") * TARGET_GROUP_WEIGHT
            + F("levels_shared") * LEVEL_WEIGHT
        )
        .filter(Q(focus_shared__gt=0) | Q(groups_shared__gt=0))
        .order_by("-score", "-focus_shared", "name")
        .prefetch_related("focus_areas", "target_groups", "levels", "cities")[:limit]
    )
    focus, groups, levels = set(focus), set(groups), set(levels)
    return [
        LikeMinded(
            organisation=candidate,
            score=candidate.score,
            shared_focus=[t for t in candidate.focus_areas.all() if t.pk in focus],
            shared_target_groups=[t for t in candidate.target_groups.all() if t.pk in groups],
            shared_levels=[t for t in candidate.levels.all() if t.pk in levels],
        )
        for candidate in ranked
    ]


# Overviews for the home, country, focus and report pages.


def directory_counts() -> dict:
    return {
        "organisations": Organisation.objects.count(),
        "advocates": Advocate.objects.count(),
        "networks": Network.objects.count(),
        "countries": Organisation.objects.exclude(country="").values("country").distinct().count(),
        "reports": Source.objects.count(),
    }


def organisations_by_country() -> list[tuple[str, str, int]]:
    rows = (
        Organisation.objects.exclude(country="")
        .values_list("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    names = dict(countries)
    return [(code, names.get(code, code), count) for code, count in rows]


def focus_areas_with_counts() -> QuerySet:
    return FocusArea.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        advocate_count=Count("advocates", distinct=True),
        network_count=Count("networks", distinct=True),
    ).order_by("-organisation_count", "name")


def network_types_with_counts() -> QuerySet:
    return NetworkType.objects.annotate(network_count=Count("networks"))


def sources_with_counts() -> QuerySet:
    return Source.objects.annotate(
        organisation_count=Count("organisationcitations__organisation", distinct=True),
        advocate_count=Count("advocatecitations__advocate", distinct=True),
        network_count=Count("networkcitations__network", distinct=True),
    )
