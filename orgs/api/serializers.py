"""The API's view of organisations, advocates, networks and vocabularies: explicit fields only.

Personal addresses are not fields of these models; the serializers add them only for a caller
with a token (`can_see_personal_addresses`), from a queryset that selected them on purpose.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from orgs.models import (
    Advocate,
    Affiliation,
    City,
    Country,
    FocusArea,
    LeadershipClaim,
    Membership,
    Network,
    NetworkType,
    Organisation,
    Source,
    TargetGroup,
    WorkLevel,
)


def can_see_personal_addresses(request) -> bool:
    """Only a caller whose token an editor issued, for an active account."""
    token = getattr(request, "auth", None)
    return isinstance(token, Token) and token.user.is_active


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = City
        fields = ["slug", "name", "country"]


class CitationSerializer(serializers.Serializer):
    """Where a record or a relation comes from: the report and the place in it."""

    report = serializers.CharField(source="source.key")
    title = serializers.CharField(source="source.title")
    locator = serializers.CharField()
    quote = serializers.CharField()


class AliasSerializer(serializers.Serializer):
    name = serializers.CharField()
    report = serializers.CharField(source="source.key", allow_null=True, default=None)


class LeadershipClaimSerializer(CitationSerializer):
    leadership = serializers.ChoiceField(
        choices=LeadershipClaim._meta.get_field("leadership").choices
    )
    evidence = serializers.ChoiceField(choices=LeadershipClaim._meta.get_field("evidence").choices)


class RecordSerializer(serializers.ModelSerializer):
    """What organisations, advocates and networks share: names, places, terms, sources."""

    web_url = serializers.SerializerMethodField()
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    cities = CitySerializer(many=True, read_only=True)
    levels = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    focus_areas = TermSerializer(many=True, read_only=True)
    target_groups = TermSerializer(many=True, read_only=True)
    sources = CitationSerializer(source="citations", many=True, read_only=True)

    profile_fields = [
        "countries", "cities", "location_raw", "levels", "levels_raw", "focus_areas",
        "focus_raw", "target_groups", "target_groups_raw",
    ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class AffiliatedAdvocateSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="advocate.slug")
    name = serializers.CharField(source="advocate.name")
    url = serializers.HyperlinkedRelatedField(
        source="advocate", view_name="api:advocate-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Affiliation
        fields = ["slug", "name", "url", "role", "is_current"]


class AffiliatedOrganisationSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    url = serializers.HyperlinkedRelatedField(
        source="organisation",
        view_name="api:organisation-detail",
        lookup_field="slug",
        read_only=True,
    )

    class Meta:
        model = Affiliation
        fields = ["slug", "name", "url", "role", "is_current"]


class OrganisationNetworkSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="network.slug")
    name = serializers.CharField(source="network.name")
    url = serializers.HyperlinkedRelatedField(
        source="network", view_name="api:network-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Membership
        fields = ["slug", "name", "url", "role"]


class NetworkMemberSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="member.slug")
    name = serializers.CharField(source="member.name")
    kind = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["slug", "name", "kind", "role"]

    def get_kind(self, membership) -> str:
        return "organisation" if membership.organisation_id else "advocate"


class OrganisationSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )
    aliases = AliasSerializer(many=True, read_only=True)
    leadership_claims = LeadershipClaimSerializer(many=True, read_only=True)
    advocates = AffiliatedAdvocateSerializer(source="affiliations", many=True, read_only=True)
    networks = OrganisationNetworkSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "uuid", "slug", "name", "url", "web_url", "aliases", "description", "form",
            "form_raw", "leadership", "leadership_evidence", "leadership_claims",
            *RecordSerializer.profile_fields, "website", "other_websites", "email", "founded",
            "advocates", "networks", "sources", "confirmed_on", "updated_at",
        ]  # fmt: skip


class PersonalEmailMixin(serializers.Serializer):
    """`personal_email` only for callers with a token (null when no address is known);
    anonymous callers never get the key."""

    # Declared, not added per request, so that the schema (which describes every caller)
    # documents it, as optional: `orgs.api.schema.optional_personal_email`.

    personal_email = serializers.EmailField(
        source="personal_address.email",
        default=None,
        allow_null=True,
        read_only=True,
        help_text=(
            "Only for callers with a token: the person's own address, null when none is known."
        ),
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        describing = getattr(self.context.get("view"), "swagger_fake_view", False)
        if not describing and (request is None or not can_see_personal_addresses(request)):
            fields.pop("personal_email")
        return fields


class AdvocateSerializer(PersonalEmailMixin, RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:advocate-detail", lookup_field="slug")
    organisations = AffiliatedOrganisationSerializer(
        source="affiliations", many=True, read_only=True
    )

    class Meta:
        model = Advocate
        fields = [
            "id", "slug", "name", "url", "web_url", "roles", *RecordSerializer.profile_fields,
            "organisations", "sources", "confirmed_on", "updated_at", "personal_email",
        ]  # fmt: skip


class NetworkSerializer(PersonalEmailMixin, RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:network-detail", lookup_field="slug")
    aliases = AliasSerializer(many=True, read_only=True)
    type = TermSerializer(source="network_type", allow_null=True, read_only=True)
    members = NetworkMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id", "slug", "name", "url", "web_url", "aliases", "heading", "type", "type_raw",
            "formalisation", "formalisation_raw", "founded", *RecordSerializer.profile_fields,
            "coordinator_raw", "members_raw", "members", "description", "resources",
            "internal_communication", "external_communication", "success_factors",
            "challenges", "evaluation_sustainability", "impact", "websites", "social_media",
            "email", "status_date", "unreadable_fields", "sources", "confirmed_on", "updated_at",
            "personal_email",
        ]  # fmt: skip


class SimilarOrganisationSerializer(serializers.Serializer):
    """A like-minded organisation and the shared terms that explain the match."""

    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    url = serializers.HyperlinkedRelatedField(
        source="organisation",
        view_name="api:organisation-detail",
        lookup_field="slug",
        read_only=True,
    )
    countries = serializers.SerializerMethodField()
    score = serializers.FloatField()
    shared_focus_areas = TermSerializer(source="shared_focus", many=True)
    shared_target_groups = TermSerializer(many=True)
    shared_levels = TermSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())

    def get_countries(self, match) -> list[str]:
        return [country.code for country in match.organisation.countries.all()]


class CountedSerializer(serializers.Serializer):
    """How many organisations, advocates and networks a term, report or country has."""

    organisations = serializers.IntegerField(source="organisation_count")
    advocates = serializers.IntegerField(source="advocate_count")
    networks = serializers.IntegerField(source="network_count")


class TermSerializer(serializers.ModelSerializer):
    counts = CountedSerializer(source="*", read_only=True)

    class Meta:
        fields = ["slug", "name", "description", "counts"]


class FocusAreaSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = FocusArea


class TargetGroupSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = TargetGroup


class LevelSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = WorkLevel


class NetworkCountSerializer(serializers.Serializer):
    networks = serializers.IntegerField(source="network_count")


class NetworkTypeSerializer(serializers.ModelSerializer):
    """A type of network has networks only."""

    counts = NetworkCountSerializer(source="*", read_only=True)

    class Meta:
        model = NetworkType
        fields = ["slug", "name", "definition", "counts"]


class CountrySerializer(serializers.ModelSerializer):
    counts = CountedSerializer(source="*", read_only=True)

    class Meta:
        model = Country
        fields = ["code", "name", "counts"]


class SourceSerializer(serializers.ModelSerializer):
    counts = CountedSerializer(source="*", read_only=True)

    class Meta:
        model = Source
        fields = [
            "key", "title", "short_title", "authors", "publisher", "year", "published", "url",
            "licence", "description", "counts",
        ]  # fmt: skip


class StatsGroupSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    group_by = serializers.CharField()
    total = serializers.IntegerField(help_text="Organisations the filters select.")
    groups = StatsGroupSerializer(many=True)
