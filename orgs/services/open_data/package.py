"""The directory as a Frictionless tabular data package: one table per kind of row, linked by
primary and foreign keys.

What is public, and only that: published organisations, advocates and networks with the fields
the API shows an anonymous caller (a test holds each table to the API serializer's fields),
and the rows that link published records to each other. No personal address is in any table
(they are rows of `PersonalAddress`, which nothing here reads), nor editors' notes, nor the
answers to a survey's private questions. A survey response names its respondent only while
that record is published, as the survey pages do.

The vocabularies (countries, cities, levels of work, focus areas, target groups, network types,
the reports) are tables of their own, which the link tables refer to by code or slug.
"""

from collections.abc import Callable, Iterator

from django.db.models import Case, F, Q, QuerySet, When

from orgs.models import (
    PROFILE_TERMS,
    Advocate,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    City,
    Country,
    FocusArea,
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
from orgs.selectors import public_records
from orgs.services.open_data.tables import Column, ForeignKey, Table
from surveys.models import Answer, PublishedFigure, Question, Response, Survey

CHUNK_SIZE = 2000


def rows_of(queryset: QuerySet, *values: str) -> Callable[[], Iterator[tuple]]:
    """The rows of `queryset` as tuples of `values`, read in chunks."""
    return lambda: queryset.values_list(*values).iterator(chunk_size=CHUNK_SIZE)


def strings(*names: str) -> list[Column]:
    return [Column(name) for name in names]


def source_key(column: str = "source") -> ForeignKey:
    return ForeignKey((column,), "sources", ("key",))


def record_key(kind: str, column: str | None = None) -> ForeignKey:
    return ForeignKey((column or kind,), f"{kind}s", ("id",))


# Vocabularies


def vocabularies() -> list[Table]:
    term = [Column("slug"), Column("name"), Column("description")]
    return [
        Table(
            "sources",
            "The reports",
            [
                *strings("key", "title", "short_title", "authors", "publisher"),
                Column("year", "integer"),
                *strings("published", "url", "licence", "description"),
            ],
            rows_of(
                Source.objects.order_by("year", "key"),
                "key",
                "title",
                "short_title",
                "authors",
                "publisher",
                "year",
                "published",
                "url",
                "licence",
                "description",
            ),  # fmt: skip
            ("key",),
            description="The published reports every record and relation cites.",
        ),
        Table(
            "countries",
            "Countries",
            strings("code", "name"),
            rows_of(Country.objects.order_by("code"), "code", "name"),
            ("code",),
            description="ISO 3166-1 alpha-2 codes, with English names.",
        ),
        Table(
            "cities",
            "Cities",
            strings("slug", "name", "country"),
            rows_of(City.objects.order_by("slug"), "slug", "name", "country"),
            ("slug",),
            description="Cities, with their country's ISO 3166-1 alpha-2 code.",
        ),
        Table(
            "levels",
            "Levels of work",
            [*term, Column("position", "integer")],
            rows_of(
                WorkLevel.objects.order_by("position"), "slug", "name", "description", "position"
            ),
            ("slug",),
        ),
        Table(
            "focus_areas",
            "Focus areas",
            term,
            rows_of(FocusArea.objects.order_by("slug"), "slug", "name", "description"),
            ("slug",),
        ),
        Table(
            "target_groups",
            "Target groups",
            term,
            rows_of(TargetGroup.objects.order_by("slug"), "slug", "name", "description"),
            ("slug",),
        ),
        Table(
            "network_types",
            "Network types (the ERASMI 2021 typology)",
            [*term, Column("definition"), Column("position", "integer")],
            rows_of(
                NetworkType.objects.order_by("position"),
                "slug",
                "name",
                "description",
                "definition",
                "position",
            ),  # fmt: skip
            ("slug",),
        ),
    ]


# The records: the fields the API shows anyone, in its order.

PROFILE_RAW = ["location_raw", "levels_raw", "focus_raw", "target_groups_raw"]
RECORD_COLUMNS = {
    Organisation: [
        Column("id", "integer"),
        Column("uuid", format="uuid"),
        *strings("slug", "name", "description", "form", "form_raw", "leadership"),
        Column("leadership_evidence"),
        *strings(*PROFILE_RAW, "website"),
        Column("other_websites", "array"),
        Column("email"),
        Column("founded", "integer"),
        Column("confirmed_on", "date"),
        Column("updated_at", "datetime"),
    ],
    Advocate: [
        Column("id", "integer"),
        *strings("slug", "name", "roles", *PROFILE_RAW),
        Column("confirmed_on", "date"),
        Column("updated_at", "datetime"),
    ],
    Network: [
        Column("id", "integer"),
        *strings("slug", "name", "heading", "type", "type_raw", "formalisation"),
        Column("formalisation_raw"),
        Column("founded", "integer"),
        *strings(*PROFILE_RAW, "coordinator_raw", "members_raw", "description", "resources"),
        *strings("internal_communication", "external_communication", "success_factors"),
        *strings("challenges", "evaluation_sustainability", "impact"),
        Column("websites", "array"),
        Column("social_media", "array"),
        Column("email"),
        Column("status_date", "date"),
        Column("unreadable_fields", "array"),
        Column("confirmed_on", "date"),
        Column("updated_at", "datetime"),
    ],
}
# A column read from elsewhere than the field of its name.
READ_FROM = {"type": "network_type__slug"}


def kind_of(model) -> str:
    return model._meta.model_name


def records() -> list[Table]:
    tables = []
    for model, columns in RECORD_COLUMNS.items():
        kind = kind_of(model)
        reads = [READ_FROM.get(column.name, column.name) for column in columns]
        keys = [ForeignKey(("type",), "network_types", ("slug",))] if model is Network else []
        tables.append(
            Table(
                f"{kind}s",
                f"{model._meta.verbose_name_plural.capitalize()}",
                columns,
                rows_of(public_records.PUBLIC[model]().order_by("id"), *reads),
                ("id",),
                keys,
                description=f"Every published {kind}, with what the API shows of it.",
            )
        )
    return tables


# Where each record works and on what: a link table per record and vocabulary.

TERM_TABLES = {
    "countries": ("country", "countries", "code"),
    "cities": ("city", "cities", "slug"),
    "levels": ("level", "levels", "slug"),
    "focus_areas": ("focus_area", "focus_areas", "slug"),
    "target_groups": ("target_group", "target_groups", "slug"),
}


def profiles() -> list[Table]:
    tables = []
    for model in RECORD_COLUMNS:
        kind = kind_of(model)
        for name in PROFILE_TERMS:
            column, vocabulary, key = TERM_TABLES[name]
            field = model._meta.get_field(name)
            owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = field.remote_field.through.objects.filter(
                **{f"{owner}__is_published": True}
            ).order_by(f"{owner}_id", f"{target}__{key}")
            tables.append(
                Table(
                    f"{kind}_{name}",
                    f"{kind.capitalize()}s' {vocabulary.replace('_', ' ')}",
                    [Column(kind, "integer"), Column(column)],
                    rows_of(links, f"{owner}_id", f"{target}__{key}"),
                    (kind, column),
                    [record_key(kind), ForeignKey((column,), vocabulary, (key,))],
                )
            )
    return tables


# Other names, claims and citations.


def aliases(model, owner: str) -> Table:
    rows = model.objects.filter(**{f"{owner}__is_published": True}).order_by(f"{owner}_id", "name")
    return Table(
        f"{owner}_aliases",
        f"{owner.capitalize()}s' other names",
        [
            Column(owner, "integer"),
            Column("name"),
            Column("source"),
            Column("editorial", "boolean"),
        ],
        rows_of(rows, f"{owner}_id", "name", "source__key", "editorial"),
        (owner, "name"),
        [record_key(owner), source_key()],
        description="Other names a report (or, when `editorial`, an editor) gives the record.",
    )


CITED = [Column("source"), Column("locator"), Column("quote")]


def citations(model, owner: str) -> Table:
    rows = model.objects.filter(**{f"{owner}__is_published": True}).order_by(
        f"{owner}_id", "source__key", "locator"
    )
    return Table(
        f"{owner}_citations",
        f"Where each {owner} comes from",
        [Column(owner, "integer"), *CITED],
        rows_of(rows, f"{owner}_id", "source__key", "locator", "quote"),
        (owner, "source", "locator"),
        [record_key(owner), source_key()],
    )


def leadership_claims() -> Table:
    rows = LeadershipClaim.objects.filter(organisation__is_published=True).order_by(
        "organisation_id", "source__key", "locator"
    )
    return Table(
        "leadership_claims",
        "What the reports say about who leads each organisation",
        [Column("organisation", "integer"), *CITED, Column("leadership"), Column("evidence")],
        rows_of(
            rows, "organisation_id", "source__key", "locator", "quote", "leadership", "evidence"
        ),
        ("organisation", "source", "locator"),
        [record_key("organisation"), source_key()],
        description="An organisation's `leadership` sums up its claims.",
    )


# Relations between records, published on both sides.

PUBLIC_AFFILIATION = Q(advocate__is_published=True, organisation__is_published=True)


def public_memberships(prefix: str = "") -> Q:
    """A network's membership, published on both sides (a member is one kind or the other)."""

    def public(kind: str) -> Q:
        return Q(**{f"{prefix}{kind}__isnull": True}) | Q(**{f"{prefix}{kind}__is_published": True})

    network = Q(**{f"{prefix}network__is_published": True})
    return network & public("organisation") & public("advocate")


def relations() -> list[Table]:
    pair = ("advocate", "organisation")
    affiliation_citations = AffiliationCitation.objects.filter(
        affiliation__advocate__is_published=True, affiliation__organisation__is_published=True
    ).order_by("affiliation__advocate_id", "affiliation__organisation_id", "source__key", "locator")
    membership_citations = MembershipCitation.objects.filter(
        public_memberships("membership__")
    ).order_by("membership_id", "source__key", "locator")
    return [
        Table(
            "affiliations",
            "Advocates' organisations",
            [
                Column("advocate", "integer"),
                Column("organisation", "integer"),
                Column("role"),
                Column("is_current", "boolean"),
            ],
            rows_of(
                Affiliation.objects.filter(PUBLIC_AFFILIATION).order_by(
                    "advocate_id", "organisation_id"
                ),
                "advocate_id",
                "organisation_id",
                "role",
                "is_current",
            ),  # fmt: skip
            pair,
            [record_key("advocate"), record_key("organisation")],
        ),
        Table(
            "affiliation_citations",
            "Where each affiliation comes from",
            [Column("advocate", "integer"), Column("organisation", "integer"), *CITED],
            rows_of(
                affiliation_citations,
                "affiliation__advocate_id",
                "affiliation__organisation_id",
                "source__key",
                "locator",
                "quote",
            ),  # fmt: skip
            (*pair, "source", "locator"),
            [ForeignKey(pair, "affiliations", pair), source_key()],
        ),
        Table(
            "memberships",
            "Networks' members",
            [
                Column("id", "integer"),
                Column("network", "integer"),
                Column("organisation", "integer"),
                Column("advocate", "integer"),
                Column("role"),
            ],
            rows_of(
                Membership.objects.filter(public_memberships()).order_by("id"),
                "id",
                "network_id",
                "organisation_id",
                "advocate_id",
                "role",
            ),  # fmt: skip
            ("id",),
            [record_key("network"), record_key("organisation"), record_key("advocate")],
            description="Each member is an organisation or an advocate.",
        ),
        Table(
            "membership_citations",
            "Where each membership comes from",
            [Column("membership", "integer"), *CITED],
            rows_of(membership_citations, "membership_id", "source__key", "locator", "quote"),
            ("membership", "source", "locator"),
            [ForeignKey(("membership",), "memberships", ("id",)), source_key()],
        ),
    ]


# The reports' surveys: their questions, the published responses, and the figures.


def respondent(kind: str) -> Case:
    """A response's respondent, while it is published."""
    return Case(When(**{f"{kind}__is_published": True}, then=F(f"{kind}_id")), default=None)


def surveys() -> list[Table]:
    survey_key = ForeignKey(("survey",), "surveys", ("slug",))
    responses = Response.objects.annotate(
        public_organisation=respondent("organisation"),
        public_advocate=respondent("advocate"),
        public_network=respondent("network"),
    ).order_by("survey__slug", "key")
    answers = Answer.objects.filter(question__is_private=False).order_by(
        "response__survey__slug", "response__key", "question__key"
    )
    return [
        Table(
            "surveys",
            "The reports' surveys",
            [
                *strings("slug", "source", "title"),
                Column("year", "integer"),
                Column("population"),
                Column("respondents_reported", "integer"),
                Column("description"),
            ],
            rows_of(
                Survey.objects.order_by("slug"),
                "slug",
                "source__key",
                "title",
                "year",
                "population",
                "respondents_reported",
                "description",
            ),  # fmt: skip
            ("slug",),
            [source_key()],
        ),
        Table(
            "survey_questions",
            "The surveys' questions",
            [
                *strings("survey", "key"),
                Column("position", "integer"),
                Column("text"),
                Column("is_private", "boolean"),
            ],
            rows_of(
                Question.objects.order_by("survey__slug", "key"),
                "survey__slug",
                "key",
                "position",
                "text",
                "is_private",
            ),  # fmt: skip
            ("survey", "key"),
            [survey_key],
            description="A private question's answers hold personal data: none is published.",
        ),
        Table(
            "survey_responses",
            "The surveys' published responses",
            [
                *strings("survey", "key"),
                Column("organisation", "integer"),
                Column("advocate", "integer"),
                Column("network", "integer"),
                Column("locator"),
            ],
            rows_of(
                responses,
                "survey__slug",
                "key",
                "public_organisation",
                "public_advocate",
                "public_network",
                "locator",
            ),  # fmt: skip
            ("survey", "key"),
            [survey_key, record_key("organisation"), record_key("advocate"), record_key("network")],
        ),
        Table(
            "survey_answers",
            "The published responses' answers",
            [*strings("survey", "response", "question", "text"), Column("terms", "array")],
            rows_of(
                answers, "response__survey__slug", "response__key", "question__key", "text", "terms"
            ),
            ("survey", "response", "question"),
            [
                ForeignKey(("survey", "response"), "survey_responses", ("survey", "key")),
                ForeignKey(("survey", "question"), "survey_questions", ("survey", "key")),
            ],
            description="`terms`: the slugs of the vocabulary the answer is charted by.",
        ),
        Table(
            "published_figures",
            "The figures the reports state about all respondents",
            [
                *strings("survey", "key", "figure", "label"),
                Column("count", "integer"),
                Column("denominator", "integer"),
                Column("share", "number", description="Per cent."),
                Column("approximate", "boolean"),
                *strings("quote", "locator", "note"),
                Column("position", "integer"),
            ],
            rows_of(
                PublishedFigure.objects.order_by("survey__slug", "key"),
                "survey__slug",
                "key",
                "figure",
                "label",
                "count",
                "denominator",
                "share",
                "approximate",
                "quote",
                "locator",
                "note",
                "position",
            ),  # fmt: skip
            ("survey", "key"),
            [survey_key],
        ),
    ]


def tables() -> list[Table]:
    """Every table, those referred to before those that refer to them."""
    return [
        *vocabularies(),
        *records(),
        *profiles(),
        aliases(OrganisationAlias, "organisation"),
        aliases(NetworkAlias, "network"),
        leadership_claims(),
        citations(OrganisationCitation, "organisation"),
        citations(AdvocateCitation, "advocate"),
        citations(NetworkCitation, "network"),
        *relations(),
        *surveys(),
    ]
