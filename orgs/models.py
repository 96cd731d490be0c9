"""Sources, vocabularies, organisations, advocates and networks, and how each cites its report.

Every model has a natural key so that the fixtures load by name, not by database id, and the
import (`services.import_fixtures`) finds the row a fixture object describes.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django_countries import countries
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from slugify import slugify

from orgs.choices import (
    AnswerKind,
    Formalisation,
    Leadership,
    LeadershipBasis,
    LeadershipEvidence,
    LegalForm,
    MailKind,
    MailStatus,
    MembershipRole,
    SuggestionKind,
    SuggestionStatus,
)
from orgs.links import validate_web_addresses, validate_web_url
from orgs.locators import InReport
from orgs.search import SearchTextField


class NaturalKeyManager(models.Manager):
    """Looks rows up by the fields named in the model's `natural_key_fields`."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


# What makes a record public, said once: `published()` selects by it and the lists' partial
# indexes are built on it. Raw SQL joins the SQL of `published()` itself (`selectors.partners`).
PUBLISHED = Q(is_published=True)


class RecordQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: records an editor has not hidden."""
        return self.filter(PUBLISHED)


RecordManager = NaturalKeyManager.from_queryset(RecordQuerySet)


class NaturallyKeyed(models.Model):
    """A row named by the fields in `natural_key_fields` (paths through relations allowed)."""

    objects = NaturalKeyManager()
    natural_key_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def natural_key(self):
        return tuple(self.follow(path) for path in self.natural_key_fields)

    def follow(self, path: str):
        value = self
        for name in path.split("__"):
            value = getattr(value, name)
            if value is None:
                return None
        return value


def sort_name_of(name: str) -> str:
    """The name folded for sorting: lowercase letters and digits only, accents and other
    scripts transliterated ("Ärzte" sorts with a, "été" with e). Without spaces or signs,
    which PostgreSQL's collations skip and SQLite's does not, both databases order it alike."""
    return slugify(name, separator="") or name.casefold()


class SortNamed(models.Model):
    """A record listed by name: `sort_name` is kept from `name` on every save (signals)."""

    sort_name = models.CharField(
        max_length=300, editable=False, db_index=True, help_text="The name folded for sorting."
    )

    class Meta:
        abstract = True


SORTED_BY_NAME = ["sort_name", "name", "pk"]


def listed_in_order(kind: str) -> models.Index:
    """The published records in list order: a page, however deep, is read off this index."""
    return models.Index(
        fields=["sort_name", "name", "id"],
        condition=PUBLISHED,
        name=f"{kind}_listed_in_order",
    )


class SlugNamed(NaturallyKeyed):
    """A record identified by a unique slug, ordered by name."""

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)

    natural_key_fields = ("slug",)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class NamedInLanguages(models.Model):
    """A term of our own that a page shows in its language: `names` holds its name in the
    interface's other languages, and a city's in its own language(s) too; searches find
    every one of them."""

    names = models.JSONField(
        default=dict,
        blank=True,
        help_text='Its name in other languages by language code: {"fr": "…", "ar": "…"}.',
    )

    class Meta:
        abstract = True

    @property
    def translated_name(self) -> str:
        """The name in the page's language, the stored (English) one if it has none."""
        return self.names.get(get_language() or "", "") or self.name


class Term(SlugNamed):
    description = models.TextField(blank=True)

    class Meta(SlugNamed.Meta):
        abstract = True


class Source(NaturallyKeyed):
    """One published report the directory's records come from."""

    key = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=120)
    authors = models.CharField(max_length=400, blank=True)
    publisher = models.CharField(max_length=400, blank=True)
    year = models.PositiveSmallIntegerField()
    published = models.CharField(max_length=40, blank=True, help_text="Month or date as printed.")
    url = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    licence = models.CharField(max_length=120, blank=True)
    seed_file = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    natural_key_fields = ("key",)

    class Meta:
        ordering = ["year", "key"]

    def __str__(self):
        return f"{self.short_title} ({self.year})"


class Country(NaturallyKeyed, SortNamed):
    """A country a record works or lives in, by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100, help_text="English name, for sorting and display.")

    natural_key_fields = ("code",)

    class Meta:
        ordering = ["sort_name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:country", args=[self.code])

    @property
    def translated_name(self) -> str:
        """The name in the page's language (django-countries), the stored one if it has none."""
        return countries.name(self.code) or self.name


class WorkLevel(Term, NamedInLanguages):
    """Local, national, EU or global."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta(Term.Meta):
        ordering = ["position"]


class FocusArea(Term, NamedInLanguages):
    pass


class TargetGroup(Term, NamedInLanguages):
    pass


class NetworkType(Term):
    """A type of the seven-type typology of the ERASMI 2021 compendium."""

    position = models.PositiveSmallIntegerField(default=0)
    definition = models.TextField()

    class Meta(Term.Meta):
        ordering = ["position"]


class City(SlugNamed, NamedInLanguages):
    country = CountryField()
    # Where the map draws the city (WGS 84 degrees); empty until an editor or the fixtures'
    # committed coordinates (`services.places`) give them, and then left off the map.
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Degrees north (negative: south), e.g. 37.9838 for Athens.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Degrees east (negative: west), e.g. 23.7278 for Athens.",
    )

    class Meta(SlugNamed.Meta):
        ordering = ["name", "country"]
        verbose_name_plural = "cities"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="city_coordinates_both_and_on_earth",
            )
        ]


PROFILE_TERMS = ["countries", "cities", "levels", "focus_areas", "target_groups"]


class RecordHistory(HistoricalRecords):
    """History that also follows a change made from a term's side (`focus.organisations.add`).

    The library only expects changes from the record's side, where `instance` is the record.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove") and pk_set:
            for record in self.cls.objects.filter(pk__in=pk_set):
                super().m2m_changed(record, action, attr, pk_set, False, **kwargs)


SEARCH_FIELDS = ["search_names", "search_profile", "search_document", "search_vector"]


def record_history():
    """Who changed a record, when and what, its places and terms included (admin can revert).

    The search columns and the sort name are derived from the rest (see `search`, `signals`),
    so history leaves them out.
    """
    return RecordHistory(
        m2m_fields=PROFILE_TERMS, excluded_fields=["updated_at", "sort_name", *SEARCH_FIELDS]
    )


class Profile(models.Model):
    """Where a record works and on what, with the source text each value was read from."""

    countries = models.ManyToManyField(Country, blank=True, related_name="%(class)ss")
    cities = models.ManyToManyField(City, blank=True, related_name="%(class)ss")
    location_raw = models.TextField(blank=True)
    levels = models.ManyToManyField(WorkLevel, blank=True, related_name="%(class)ss")
    levels_raw = models.TextField(blank=True)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="%(class)ss")
    focus_raw = models.TextField(blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="%(class)ss")
    target_groups_raw = models.TextField(blank=True)
    is_published = models.BooleanField(
        "published",
        default=True,
        db_index=True,
        help_text="Off: hidden from every public page, list, count and API answer, not deleted.",
    )
    checked_on = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last checked the record against its sources.",
    )
    confirmed_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the listed (the person, or the organisation's or network's own people) "
        "last confirmed or corrected the record themselves.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What search matches, kept up to date by `search.refresh` (see `signals`).
    search_names = SearchTextField(blank=True, editable=False)
    search_profile = SearchTextField(blank=True, editable=False)
    search_document = SearchTextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only, by trigger

    class Meta:
        abstract = True

    @property
    def checked_or_reported(self) -> str:
        """When an editor last checked the record, or the year of its earliest report."""
        if self.checked_on:
            return gettext("Last checked on %(date)s") % {"date": date_format(self.checked_on)}
        years = [citation.source.year for citation in self.citations.all()]
        if not years:
            return gettext("Never checked")
        return gettext("From a report of %(year)s; not checked since") % {"year": min(years)}


# Organisation ids for HSDS: derived from the slug an organisation is first saved with, then
# kept whatever its slug becomes, so that two installations of the directory agree on them.
ORGANISATION_IDS = uuid.UUID("6f1d3c5e-9b1a-4c52-8f3e-2d7a9c0b4e61")


def organisation_uuid(slug: str) -> uuid.UUID:
    return uuid.uuid5(ORGANISATION_IDS, slug)


class Organisation(SlugNamed, SortNamed, Profile):
    uuid = models.UUIDField(unique=True, editable=False, help_text="Stable id (HSDS).")
    description = models.TextField(blank=True)
    form = models.CharField(max_length=30, choices=LegalForm, default=LegalForm.UNKNOWN)
    form_raw = models.TextField(blank=True)
    # The summary of the leadership claims (see `services.summarise_leadership`), kept on the
    # row so that lists can filter and count it.
    leadership = models.CharField(max_length=20, choices=Leadership, default=Leadership.UNKNOWN)
    leadership_evidence = models.CharField(
        max_length=20, choices=LeadershipEvidence, default=LeadershipEvidence.NONE
    )
    website = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    other_websites = models.JSONField(default=list, blank=True, validators=[validate_web_addresses])
    email = models.EmailField(blank=True, help_text="Public address of the organisation.")
    founded = models.PositiveSmallIntegerField(null=True, blank=True)
    external_ids = models.JSONField(
        default=dict, blank=True, help_text="Identifiers elsewhere, by org-id.guide prefix."
    )
    note = models.TextField(blank=True, help_text="Editorial note: a doubt, a merge, a reading.")

    objects = RecordManager()
    history = record_history()

    class Meta(SlugNamed.Meta):
        ordering = SORTED_BY_NAME
        # Every filter and ordering of the lists and the API (sort_name is indexed as a field).
        indexes = [
            models.Index(fields=["leadership"]),
            models.Index(fields=["form"]),
            models.Index(fields=["updated_at"]),
            listed_in_order("organisation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(leadership="unknown") | ~Q(leadership_evidence="none"),
                name="organisation_leadership_has_evidence",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.uuid is None:
            self.uuid = organisation_uuid(self.slug)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:organisation", args=[self.slug])


class Advocate(SlugNamed, SortNamed, Profile):
    """A person named in a report. Their own email address is private."""

    roles = models.CharField(max_length=300, blank=True, help_text="What the report calls them.")
    note = models.TextField(blank=True, help_text="Editorial note: a doubt, a merge, a reading.")
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="advocates", blank=True
    )

    objects = RecordManager()
    history = record_history()

    class Meta(SlugNamed.Meta):
        ordering = SORTED_BY_NAME
        indexes = [models.Index(fields=["updated_at"]), listed_in_order("advocate")]

    def get_absolute_url(self):
        return reverse("orgs:advocate", args=[self.slug])


class Network(SlugNamed, SortNamed, Profile):
    """A multi-actor integration network, with the fields of an ERASMI profile."""

    heading = models.CharField(max_length=100, blank=True, help_text="Country heading in source.")
    network_type = models.ForeignKey(
        NetworkType, null=True, blank=True, on_delete=models.PROTECT, related_name="networks"
    )
    type_raw = models.CharField(max_length=300, blank=True)
    formalisation = models.CharField(
        max_length=10, choices=Formalisation, default=Formalisation.UNKNOWN
    )
    formalisation_raw = models.TextField(blank=True)
    founded = models.PositiveSmallIntegerField(null=True, blank=True)
    coordinator_raw = models.TextField(blank=True)
    members_raw = models.TextField(blank=True)
    description = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    internal_communication = models.TextField(blank=True)
    external_communication = models.TextField(blank=True)
    success_factors = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    evaluation_sustainability = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    websites = models.JSONField(default=list, blank=True, validators=[validate_web_addresses])
    social_media = models.JSONField(default=list, blank=True, validators=[validate_web_addresses])
    email = models.EmailField(blank=True, help_text="The profile's published contact address.")
    status_date = models.DateField(null=True, blank=True, help_text="Status of information.")
    unreadable_fields = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    objects = RecordManager()
    history = record_history()

    class Meta(SlugNamed.Meta):
        ordering = SORTED_BY_NAME
        indexes = [models.Index(fields=["formalisation"]), models.Index(fields=["updated_at"])]

    def get_absolute_url(self):
        return reverse("orgs:network", args=[self.slug])


class Cited(InReport, models.Model):
    """A link to the report, and the place in it, that a record or relation comes from."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="%(class)ss")
    locator = models.CharField(max_length=300, help_text="Annex or section, block, line(s).")

    class Meta:
        abstract = True


class Citation(NaturallyKeyed, Cited):
    quote = models.TextField(blank=True, help_text="The report's words, when they say more.")

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["source__year", "source__key", "locator"]

    def __str__(self):
        return f"{self.source.short_title}, {self.locator}"


def unique_citation(owner: str, name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=[owner, "source", "locator"], name=name)


class OrganisationCitation(Citation):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="citations"
    )

    natural_key_fields = ("organisation__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [unique_citation("organisation", "unique_organisation_citation")]


class AdvocateCitation(Citation):
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="citations")

    natural_key_fields = ("advocate__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [unique_citation("advocate", "unique_advocate_citation")]


class NetworkCitation(Citation):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="citations")

    natural_key_fields = ("network__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [unique_citation("network", "unique_network_citation")]


class Alias(NaturallyKeyed):
    """Another name under which a report (or an editor) lists a record."""

    name = models.CharField(max_length=300)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The report that spells it so; empty for a name an editor added.",
    )
    editorial = models.BooleanField(
        default=False,
        help_text=(
            "A spelling the editors made that no report prints (an expanded acronym, a corrected "
            "typo); it is credited to no report."
        ),
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


def editorial_alias_has_no_source(name: str) -> models.CheckConstraint:
    """An alias is credited only to a report that prints it: an editorial one to none."""
    return models.CheckConstraint(condition=Q(editorial=False) | Q(source__isnull=True), name=name)


class OrganisationAlias(Alias):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")

    natural_key_fields = ("organisation__slug", "name")

    class Meta(Alias.Meta):
        verbose_name_plural = "organisation aliases"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_alias"),
            editorial_alias_has_no_source("editorial_alias_has_no_source"),
        ]


class NetworkAlias(Alias):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="aliases")

    natural_key_fields = ("network__slug", "name")

    class Meta(Alias.Meta):
        verbose_name_plural = "network aliases"
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="unique_network_alias"),
            editorial_alias_has_no_source("editorial_network_alias_has_no_source"),
        ]


class AdvocateAlias(Alias):
    """Another spelling of a person's name, kept when duplicates are merged."""

    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="aliases")

    natural_key_fields = ("advocate__slug", "name")

    class Meta(Alias.Meta):
        verbose_name_plural = "advocate aliases"
        constraints = [
            models.UniqueConstraint(fields=["advocate", "name"], name="unique_advocate_alias"),
            editorial_alias_has_no_source("editorial_advocate_alias_has_no_source"),
        ]


class FormerSlug(models.Model):
    """The address a merged (or renamed) record had, so that old links redirect to it."""

    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["slug"]

    def __str__(self):
        return self.slug


class FormerOrganisationSlug(FormerSlug):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_slugs"
    )

    @property
    def record(self):
        return self.organisation


class FormerCitySlug(FormerSlug):
    """A city's old slug, so that shared filter URLs naming it still work."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="former_slugs")

    @property
    def record(self):
        return self.city


class FormerAdvocateSlug(FormerSlug):
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="former_slugs")

    @property
    def record(self):
        return self.advocate


class LeadershipClaim(Citation):
    """What one place in a report says about who leads an organisation, in its words.

    An organisation's `leadership` is the summary of its claims.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="leadership_claims"
    )
    leadership = models.CharField(max_length=20, choices=Leadership)
    evidence = models.CharField(max_length=20, choices=LeadershipEvidence)

    natural_key_fields = ("organisation__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [
            unique_citation("organisation", "unique_leadership_claim"),
            models.CheckConstraint(
                condition=~Q(leadership="unknown") & ~Q(evidence="none"),
                name="leadership_claim_says_something",
            ),
        ]

    def __str__(self):
        return f"{self.get_leadership_display()} ({self.get_evidence_display().lower()})"


class Affiliation(NaturallyKeyed):
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(max_length=300, blank=True)
    is_current = models.BooleanField(
        default=True, help_text="Off when the report calls it a former affiliation."
    )

    history = HistoricalRecords()

    natural_key_fields = ("advocate__slug", "organisation__slug")

    class Meta:
        ordering = ["advocate__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["advocate", "organisation"], name="unique_affiliation"),
        ]

    def __str__(self):
        return f"{self.advocate} at {self.organisation}"


class AffiliationCitation(Citation):
    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="citations")

    natural_key_fields = (
        "affiliation__advocate__slug",
        "affiliation__organisation__slug",
        "source__key",
        "locator",
    )

    class Meta(Citation.Meta):
        constraints = [unique_citation("affiliation", "unique_affiliation_citation")]


class Membership(NaturallyKeyed):
    """An organisation's (or a person's) place in a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER)

    history = HistoricalRecords()

    natural_key_fields = ("network__slug", "organisation__slug", "advocate__slug")

    class Meta:
        ordering = ["network__name", "role", "organisation__name", "advocate__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, advocate__isnull=True)
                | Q(organisation__isnull=True, advocate__isnull=False),
                name="membership_has_one_member",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_organisation_membership",
            ),
            models.UniqueConstraint(
                fields=["network", "advocate"],
                condition=Q(advocate__isnull=False),
                name="unique_advocate_membership",
            ),
        ]

    def __str__(self):
        return f"{self.member} in {self.network} ({self.get_role_display()})"

    @property
    def member(self):
        return self.organisation or self.advocate


class MembershipCitation(Citation):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="citations")

    natural_key_fields = (
        "membership__network__slug",
        "membership__organisation__slug",
        "membership__advocate__slug",
        "source__key",
        "locator",
    )

    class Meta(Citation.Meta):
        constraints = [unique_citation("membership", "unique_membership_citation")]


class PersonalAddress(NaturallyKeyed, Cited):
    """A person's own email address, kept apart so that no public query can select it.

    It belongs to an advocate, or to a network whose profile printed a person's address as its
    contact. Only editors see it.
    """

    advocate = models.OneToOneField(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="personal_address"
    )
    network = models.OneToOneField(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="personal_address"
    )
    email = models.EmailField()
    accepts_messages = models.BooleanField(
        default=False,
        help_text="The person chose to receive messages relayed through the directory (their "
        "address is never shown to the sender).",
    )

    natural_key_fields = ("advocate__slug", "network__slug")

    class Meta:
        verbose_name_plural = "personal addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(advocate__isnull=False, network__isnull=True)
                | Q(advocate__isnull=True, network__isnull=False),
                name="personal_address_has_one_owner",
            ),
        ]

    def __str__(self):
        return f"Personal address of {self.advocate or self.network}"


class ImportStamp(models.Model):
    """What the last import wrote to one row, so that a later import can tell an editor's change.

    `content_hash` is the hash of the fixture's fields for the row when it was imported; the row
    is unedited while its current fields hash the same (see `services.import_fixtures`).
    """

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=1000, help_text="The row's natural key, as JSON.")
    report = models.CharField(max_length=100, help_text="The fixture file that listed it.")
    content_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="unique_import_stamp"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class PendingImport(models.Model):
    """An uploaded file between its preview and its confirmation, kept in the database so that
    any server can confirm what another previewed; deleted once confirmed, replaced or stale.

    A large file, once confirmed, is imported by the background worker: the row then holds its
    progress and, once finished, its outcome (the file itself is dropped), for the editor's
    progress page, until it is a day old."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "previewed, waiting for confirmation"
        QUEUED = "queued", "queued, waiting for the background worker"
        READING = "reading", "reading the rows"
        SAVING = "saving", "saving the records"
        DONE = "done", "imported"
        REJECTED = "rejected", "rejected: nothing was imported"
        FAILED = "failed", "failed: nothing was imported"

    FINISHED = (Status.DONE, Status.REJECTED, Status.FAILED)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=255, help_text="The file's name on the editor's computer.")
    format = models.CharField(max_length=10)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    new_source = models.JSONField(
        default=dict, blank=True, help_text="A source the editor named, created on confirmation."
    )
    first_line = models.PositiveIntegerField(default=1)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEWED)
    rows_total = models.PositiveIntegerField(default=0, help_text="The rows the preview read.")
    rows_done = models.PositiveIntegerField(default=0, help_text="The rows read so far.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the import did, or why it failed.")
    rejections = models.JSONField(
        default=list, blank=True, help_text="The rejected rows: where, record and reason."
    )

    def __str__(self):
        return f"{self.name}, uploaded {self.created_at:%Y-%m-%d %H:%M}"

    def cited_source(self) -> Source:
        """The source its rows cite: an existing one, or the new one (unsaved until confirmed)."""
        return self.source if self.source_id else Source(**self.new_source)


def forget_corrections(collector, field, sub_objs, using):
    """When a record is deleted, the corrections sent about it go with it (they correct nothing
    any more, and a correction must name its record); a suggested organisation that became the
    record is kept, no longer linked."""
    corrections = [s for s in sub_objs if s.kind != SuggestionKind.NEW]
    created = [s for s in sub_objs if s.kind == SuggestionKind.NEW]
    if corrections:
        models.CASCADE(collector, field, corrections, using)
    if created:
        collector.add_field_update(field, None, created)


class Suggestion(models.Model):
    """An addition or correction sent by a visitor; public only once an editor approves it.

    The sender's own name and address are for the editors, to ask back; they are never shown.
    """

    kind = models.CharField(max_length=20, choices=SuggestionKind)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus, default=SuggestionStatus.PENDING, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=forget_corrections,
        related_name="suggestions",
    )
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=forget_corrections, related_name="suggestions"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=forget_corrections, related_name="suggestions"
    )
    invitation = models.ForeignKey(
        "Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text="Sent by the listed person through their personal link.",
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="The fields the listed person changed: {field: [as it was, as they wrote it]}.",
    )
    name = models.CharField("organisation's name", max_length=300, blank=True)
    country = CountryField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    public_email = models.EmailField(
        "public email", blank=True, help_text="The organisation's address, to publish."
    )
    leadership = models.CharField(max_length=20, choices=Leadership, blank=True)
    leadership_basis = models.CharField(
        "how the sender knows who leads it", max_length=20, choices=LeadershipBasis, blank=True
    )
    levels = models.ManyToManyField(WorkLevel, blank=True, related_name="+")
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="+")
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="+")
    message = models.TextField(help_text="What it does, or what is wrong and what is right.")
    is_own = models.BooleanField(
        "sent by the organisation itself", default=False, help_text="“This is my organisation.”"
    )
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(help_text="To ask back; never published.")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor_note = models.TextField(blank=True, help_text="Why approved or rejected; editors only.")

    # Who reviewed it and why; the sender's name and address stay out of history (and go with
    # the suggestion when it is deleted).
    history = HistoricalRecords(excluded_fields=["sender_name", "sender_email"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new-organisation") | Q(organisation__isnull=False)
                | Q(advocate__isnull=False) | Q(network__isnull=False),
                name="correction_names_its_record",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        record = self.organisation or self.advocate or self.network
        return record.name if record else self.name

    @property
    def locator(self) -> str:
        return f"Suggestion {self.pk}"


class Erasure(models.Model):
    """The note an erasure leaves: what went, when and by whom, never whose data it was.

    `import_keys` holds hashes of the person's import keys, so that a later import of the
    reports does not bring them back (see `privacy.erase`).
    """

    record = models.CharField(max_length=100, help_text="Kind and former id, e.g. advocate #12.")
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed = models.JSONField(default=dict, help_text="Rows removed, by kind.")
    import_keys = models.JSONField(default=list, help_text="Hashes of the import keys.")

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Erasure of {self.record} on {self.erased_at:%Y-%m-%d}"


def one_listed_owner(name: str, *owners: str) -> models.CheckConstraint:
    """Exactly one of the `owners` foreign keys is set."""
    condition = Q()
    for owner in owners:
        only = Q(**{f"{owner}__isnull": False}) & Q(
            *[Q(**{f"{other}__isnull": True}) for other in owners if other != owner]
        )
        condition |= only
    return models.CheckConstraint(condition=condition, name=name)


class OutgoingMail(models.Model):
    """A message the directory sends, kept until it is sent (or given up), so that none is lost.

    A listed person's mail names them (`advocate` or `network`), never their address: the
    address is read from their `PersonalAddress` when the mail is sent, so that it is in no row,
    log or page beside the message, and an erased person's queued mail goes with them. Anyone
    else's (a sender confirming their address) is written to `to_address`.
    """

    kind = models.CharField(max_length=20, choices=MailKind)
    status = models.CharField(max_length=10, choices=MailStatus, default=MailStatus.QUEUED)
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="mail"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="mail"
    )
    to_address = models.EmailField(blank=True, help_text="Not a listed person's address.")
    reply_to = models.EmailField(blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it; another may retry after this."
    )
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "outgoing mail"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(advocate__isnull=False, network__isnull=True, to_address="")
                    | Q(advocate__isnull=True, network__isnull=False, to_address="")
                    | (Q(advocate__isnull=True, network__isnull=True) & ~Q(to_address=""))
                ),
                name="outgoing_mail_has_one_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}: {self.subject}"

    @property
    def listed(self):
        return self.advocate or self.network


class Invitation(models.Model):
    """A notice sent to a listed person (GDPR Art. 14) with a personal link to their record.

    The link is signed with the invitation's id (`services.invitations`); it expires at
    `expires_at` and opens the record once (`used_at`).
    """

    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mail = models.OneToOneField(
        OutgoingMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [one_listed_owner("invitation_has_one_owner", "advocate", "network")]

    def __str__(self):
        return f"Invitation #{self.pk} to {self.listed}"

    @property
    def listed(self):
        return self.advocate or self.network


class ListedAnswer(models.Model):
    """One thing a listed person did about their record, with its date: what the directory
    tells editors, and what "confirmed by the organisation on <date>" is read from.

    `organisation` is set when an advocate answered for an organisation they work for.
    """

    kind = models.CharField(max_length=20, choices=AnswerKind)
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(advocate__isnull=False) | Q(network__isnull=False),
                name="answer_has_a_listed_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.at:%Y-%m-%d}"


class FieldOpenToTheListed(models.Model):
    """A field the listed may change at once, without waiting for an editor; the editors
    decide which (every other correction goes to their queue)."""

    class Record(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        ADVOCATE = "advocate", "Advocate"
        NETWORK = "network", "Network"

    record = models.CharField(max_length=20, choices=Record)
    field = models.CharField(max_length=50)

    class Meta:
        ordering = ["record", "field"]
        verbose_name = "field the listed may publish at once"
        verbose_name_plural = "fields the listed may publish at once"
        constraints = [
            models.UniqueConstraint(fields=["record", "field"], name="unique_open_field"),
        ]

    def __str__(self):
        return f"{self.get_record_display()}: {self.field}"
