"""Sources, vocabularies, organisations, advocates and networks, and how each cites its report.

Every model has a natural key so that the fixtures load by name, not by database id, and
loading them a second time updates rows in place instead of duplicating them.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField


class NaturalKeyManager(models.Manager):
    """Looks rows up by the fields named in the model's `natural_key_fields`."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


class SlugNamed(models.Model):
    """A record identified by a unique slug, ordered by name."""

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)

    objects = NaturalKeyManager()
    natural_key_fields = ("slug",)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Vocabulary(SlugNamed):
    description = models.TextField(blank=True)

    class Meta(SlugNamed.Meta):
        abstract = True


class Source(models.Model):
    """One published report the directory's records come from."""

    key = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=120)
    authors = models.CharField(max_length=400, blank=True)
    publisher = models.CharField(max_length=400, blank=True)
    year = models.PositiveSmallIntegerField()
    published = models.CharField(max_length=40, blank=True, help_text="Month or date as printed.")
    url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=120, blank=True)
    seed_file = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    objects = NaturalKeyManager()
    natural_key_fields = ("key",)

    class Meta:
        ordering = ["year", "key"]

    def __str__(self):
        return f"{self.short_title} ({self.year})"

    def natural_key(self):
        return (self.key,)


class WorkLevel(Vocabulary):
    """Local, national, EU or global."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta(Vocabulary.Meta):
        ordering = ["position"]


class FocusArea(Vocabulary):
    pass


class TargetGroup(Vocabulary):
    pass


class NetworkType(Vocabulary):
    """A type of the seven-type typology of the ERASMI 2021 compendium."""

    position = models.PositiveSmallIntegerField(default=0)
    definition = models.TextField()

    class Meta(Vocabulary.Meta):
        ordering = ["position"]


class City(SlugNamed):
    country = CountryField()

    class Meta(SlugNamed.Meta):
        ordering = ["name", "country"]
        verbose_name_plural = "cities"


class Form(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    ASSOCIATION = "association", "Association"
    NETWORK = "network", "Network"
    COMMUNITY = "community", "Community"
    INITIATIVE = "initiative", "Initiative"
    GROUP = "group", "Group"
    SOCIAL_ENTERPRISE = "social-enterprise", "Social enterprise"
    COUNCIL = "council-or-advisory-body", "Council or advisory body"
    PUBLIC_AUTHORITY = "public-authority", "Public authority"
    INTERNATIONAL = "international-organisation", "International organisation"
    PROGRAMME = "programme", "Programme"
    MEDIA = "media", "Media"
    INDIVIDUAL = "individual", "Individual"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Leadership(models.TextChoices):
    MIGRANT_LED = "migrant-led", "Migrant-led"
    REFUGEE_LED = "refugee-led", "Refugee-led"
    DIASPORA_LED = "diaspora-led", "Diaspora-led"
    OTHER = "other", "Other self-description"
    NOT_MIGRANT_LED = "not-migrant-led", "Not migrant-led"
    UNKNOWN = "unknown", "Unknown"


class LeadershipEvidence(models.TextChoices):
    SELF_DESCRIBED = "self-described", "Self-described in a survey"
    NAMED_BY_REPORT = "named-by-report", "Named so by a report"
    EDITORIAL = "editorial", "Editorial assessment from the report's text"
    NONE = "none", "No evidence"


class Profile(models.Model):
    """Where a record works and on what, with the source text each value was read from."""

    country = CountryField(blank=True)
    cities = models.ManyToManyField(City, blank=True, related_name="%(class)ss")
    location_raw = models.TextField(blank=True)
    levels = models.ManyToManyField(WorkLevel, blank=True, related_name="%(class)ss")
    levels_raw = models.TextField(blank=True)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="%(class)ss")
    focus_raw = models.TextField(blank=True)
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="%(class)ss")
    target_groups_raw = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organisation(SlugNamed, Profile):
    description = models.TextField(blank=True)
    form = models.CharField(max_length=30, choices=Form, default=Form.UNKNOWN)
    form_raw = models.TextField(blank=True)
    leadership = models.CharField(max_length=20, choices=Leadership, default=Leadership.UNKNOWN)
    leadership_evidence = models.CharField(
        max_length=20, choices=LeadershipEvidence, default=LeadershipEvidence.NONE
    )
    leadership_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leadership_raw = models.TextField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    other_websites = models.JSONField(default=list, blank=True)
    email = models.EmailField(blank=True, help_text="Public address of the organisation.")
    founded = models.PositiveSmallIntegerField(null=True, blank=True)
    external_ids = models.JSONField(
        default=dict, blank=True, help_text="Identifiers elsewhere, by org-id.guide prefix."
    )
    note = models.TextField(blank=True, help_text="Editorial note: a doubt, a merge, a reading.")

    class Meta(SlugNamed.Meta):
        indexes = [
            models.Index(fields=["country"]),
            models.Index(fields=["leadership"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(leadership="unknown") | ~Q(leadership_evidence="none"),
                name="organisation_leadership_has_evidence",
            ),
        ]

    def get_absolute_url(self):
        return reverse("orgs:organisation", args=[self.slug])


class OrganisationAlias(models.Model):
    """Another name under which a report lists an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)

    objects = NaturalKeyManager()
    natural_key_fields = ("organisation__slug", "name")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "organisation aliases"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_alias"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.organisation.slug, self.name)

    natural_key.dependencies = ["orgs.organisation"]


class Advocate(SlugNamed, Profile):
    """A person named in a report. Their own email address is private."""

    roles = models.CharField(max_length=300, blank=True, help_text="What the report calls them.")
    email = models.EmailField(blank=True, help_text="Personal address: never shown publicly.")
    note = models.TextField(blank=True, help_text="Editorial note: a doubt, a merge, a reading.")
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="advocates", blank=True
    )

    class Meta(SlugNamed.Meta):
        indexes = [models.Index(fields=["country"])]

    def get_absolute_url(self):
        return reverse("orgs:advocate", args=[self.slug])


class Formalisation(models.TextChoices):
    FORMAL = "formal", "Formal cooperation agreement"
    SOFT = "soft", "Soft formal agreements and norms"
    MIXED = "mixed", "Mix of formal and informal agreements"
    INFORMAL = "informal", "Informal"
    UNKNOWN = "unknown", "Unknown"


class Network(SlugNamed, Profile):
    """A multi-actor integration network, with the fields of an ERASMI profile."""

    aliases = models.JSONField(default=list, blank=True)
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
    websites = models.JSONField(default=list, blank=True)
    social_media = models.JSONField(default=list, blank=True)
    email = models.EmailField(blank=True, help_text="The profile's published contact address.")
    private_email = models.EmailField(
        blank=True, help_text="A person's own address printed as the contact: editors only."
    )
    status_date = models.DateField(null=True, blank=True, help_text="Status of information.")
    unreadable_fields = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta(SlugNamed.Meta):
        indexes = [models.Index(fields=["country"]), models.Index(fields=["formalisation"])]

    def get_absolute_url(self):
        return reverse("orgs:network", args=[self.slug])


class Cited(models.Model):
    """A link to the report, and the place in it, that a record or relation comes from."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="%(class)ss")
    locator = models.CharField(max_length=300, help_text="Annex or section, block, line(s).")

    class Meta:
        abstract = True


class Affiliation(Cited):
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations"
    )
    role = models.CharField(max_length=300, blank=True)

    objects = NaturalKeyManager()
    natural_key_fields = ("advocate__slug", "organisation__slug")

    class Meta:
        ordering = ["advocate__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["advocate", "organisation"], name="unique_affiliation"),
        ]

    def __str__(self):
        return f"{self.advocate} at {self.organisation}"

    def natural_key(self):
        return (self.advocate.slug, self.organisation.slug)

    natural_key.dependencies = ["orgs.advocate", "orgs.organisation"]


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    MEMBER = "member", "Member"


class Membership(Cited):
    """An organisation's (or a person's) place in a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER)

    objects = NaturalKeyManager()
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

    def natural_key(self):
        organisation = self.organisation.slug if self.organisation else None
        advocate = self.advocate.slug if self.advocate else None
        return (self.network.slug, organisation, advocate)

    natural_key.dependencies = ["orgs.network", "orgs.organisation", "orgs.advocate"]


class Citation(Cited):
    quote = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["source__year", "source__key", "locator"]

    def __str__(self):
        return f"{self.source.short_title}, {self.locator}"


class OrganisationCitation(Citation):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="citations"
    )

    objects = NaturalKeyManager()
    natural_key_fields = ("organisation__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "locator"], name="unique_organisation_citation"
            ),
        ]

    def natural_key(self):
        return (self.organisation.slug, self.source.key, self.locator)

    natural_key.dependencies = ["orgs.organisation", "orgs.source"]


class AdvocateCitation(Citation):
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="citations")

    objects = NaturalKeyManager()
    natural_key_fields = ("advocate__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["advocate", "source", "locator"], name="unique_advocate_citation"
            ),
        ]

    def natural_key(self):
        return (self.advocate.slug, self.source.key, self.locator)

    natural_key.dependencies = ["orgs.advocate", "orgs.source"]


class NetworkCitation(Citation):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="citations")

    objects = NaturalKeyManager()
    natural_key_fields = ("network__slug", "source__key", "locator")

    class Meta(Citation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["network", "source", "locator"], name="unique_network_citation"
            ),
        ]

    def natural_key(self):
        return (self.network.slug, self.source.key, self.locator)

    natural_key.dependencies = ["orgs.network", "orgs.source"]
