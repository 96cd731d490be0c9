"""The CSV of organisations, advocates and networks is written from plain queries, and its bytes
are the serializer path's bytes: every column, every kind of record, anonymous callers and token
holders, the API and the pages."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from orgs.api import csv_files, csv_rows
from orgs.api.csv_files import serialized_csv
from orgs.api.serializers import (
    AdvocateSerializer,
    NetworkSerializer,
    OrganisationSerializer,
    TermSerializer,
)
from orgs.api.views import AdvocateViewSet, NetworkViewSet, OrganisationViewSet
from orgs.models import (
    Advocate,
    Affiliation,
    City,
    FocusArea,
    LeadershipClaim,
    Membership,
    Network,
    NetworkAlias,
    NetworkType,
    Organisation,
    OrganisationAlias,
    OrganisationCitation,
    PersonalAddress,
    Source,
    WorkLevel,
)
from orgs.seeding import synthetic
from tests.responses import csv_rows as rows_of

pytestmark = pytest.mark.django_db

KINDS = ["organisations", "advocates", "networks"]
SERIALIZERS = [OrganisationSerializer, AdvocateSerializer, NetworkSerializer]


def raw(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def both_ways(client, monkeypatch, url: str, params=None, **headers) -> tuple[bytes, bytes]:
    """The download's bytes, and the bytes of the same download through the serializers (a
    page's download is the API's CSV: the viewsets' writer serves both)."""
    fast = raw(client.get(url, params or {}, **headers))
    with monkeypatch.context() as patch:
        for viewset in (OrganisationViewSet, AdvocateViewSet, NetworkViewSet):
            patch.setattr(viewset, "csv_writer", staticmethod(serialized_csv))
        reference = raw(client.get(url, params or {}, **headers))
    return fast, reference


def downloads(token=None) -> list[tuple[str, dict, dict]]:
    """Every way to download each kind: the API (anonymous, with a token), and the page."""
    ways = []
    for kind in KINDS:
        ways.append((f"/api/v1/{kind}/", {"format": "csv"}, {}))
        ways.append((f"/api/v1/{kind}/", {}, {"HTTP_ACCEPT": "text/csv"}))
        if token:
            ways.append((f"/api/v1/{kind}/", {"format": "csv"}, with_token(token)))
        ways.append((f"/{kind}/export.csv", {}, {}))
    return ways


def with_token(token) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def assert_same_bytes(client, monkeypatch, token, minimum_rows: int):
    for url, params, headers in downloads(token):
        fast, reference = both_ways(client, monkeypatch, url, params, **headers)
        assert fast == reference, (url, params, headers)
        assert fast.count(b"\r\n") > minimum_rows, url


def test_the_whole_directory_downloads_byte_for_byte_as_through_the_serializers(
    client, monkeypatch, token
):
    assert_same_bytes(client, monkeypatch, token, minimum_rows=20)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "country"},
        {"sort": "-updated"},
        {"country": "GR", "sort": "-name"},
        {"q": "refugee"},
    ],
)
def test_filtered_and_sorted_downloads_keep_the_serializers_bytes_and_order(
    client, monkeypatch, token, params
):
    for kind in KINDS:
        for url, query, headers in [
            (f"/api/v1/{kind}/", {**params, "format": "csv"}, with_token(token)),
            (f"/{kind}/export.csv", params, {}),
        ]:
            fast, reference = both_ways(client, monkeypatch, url, query, **headers)
            assert fast == reference, (url, query)


def test_the_pages_in_another_language_link_their_records_in_it(client, monkeypatch):
    fast, reference = both_ways(client, monkeypatch, "/fr/organisations/export.csv")
    assert fast == reference
    assert b"http://testserver/fr/organisations/" in fast


def test_a_format_parameter_of_a_pages_download_is_ignored_and_not_carried_into_links(
    client, monkeypatch
):
    """A page's download takes parameters it does not use; its links, as the API's CSV's,
    carry no `format` (DRF's links would carry it along)."""
    fast, reference = both_ways(client, monkeypatch, "/networks/export.csv", {"format": "x y"})
    assert fast == reference
    assert b"/api/v1/networks/" in fast and b"format=" not in fast
    assert fast == raw(client.get("/api/v1/networks/", {"format": "csv"}))


def awkward_records():
    """Records with every kind of value a cell has to get right."""
    report = Source.objects.get(key="epim-2019")
    nameless_city = City.objects.create(slug="nameless-city", name="", country="GR")
    nameless_focus = FocusArea.objects.create(slug="nameless-focus", name="")
    formula = Organisation.objects.create(
        slug="formula-looking",
        name='=HYPERLINK("http://example.org")',
        description='He said "yes, and",\nthen left;\r\n\ttabbed',
        form_raw="+31 20 123",
        email="-x@example.org",
        founded=None,
        other_websites=["https://a.example.org", "@b", {"name": "nested"}, 7, None, True],
        leadership="refugee-led",
        leadership_evidence="named-by-report",
    )
    formula.countries.add("GR", "DE")
    formula.cities.add(nameless_city)
    formula.focus_areas.add(nameless_focus)
    formula.levels.add(*WorkLevel.objects.all())
    OrganisationAlias.objects.create(organisation=formula, name="Ärzte für Flüchtlinge")
    OrganisationAlias.objects.create(organisation=formula, name="", source=report)
    OrganisationCitation.objects.create(organisation=formula, source=report, locator="=A1")
    LeadershipClaim.objects.create(
        organisation=formula,
        source=report,
        locator="Annex 2, line 1",
        leadership="refugee-led",
        evidence="named-by-report",
    )
    nameless = Organisation.objects.create(slug="nameless-organisation", name="")
    hidden = Organisation.objects.create(
        slug="hidden-organisation", name="Hidden", is_published=False
    )
    Organisation.objects.create(slug="Empty_Relations-1", name='Émpty, "quoted"')

    person = Advocate.objects.create(slug="awkward-person", name="Zoë O'Neil", roles="@founder")
    person.countries.add("GR")
    for organisation, current in ((formula, False), (nameless, True), (hidden, True)):
        Affiliation.objects.create(
            advocate=person, organisation=organisation, role="=chair", is_current=current
        )
    PersonalAddress.objects.create(advocate=person, email="zoe.oneil@example.org", source=report)
    Advocate.objects.create(slug="nobody-knows", name="")

    kind = NetworkType.objects.order_by("position").first()
    typed = Network.objects.create(
        slug="awkward-network",
        name='Réseau "awkward"',
        network_type=kind,
        heading="Greece\nand beyond",
        websites=["https://n.example.org"],
        social_media=[],
        unreadable_fields=["impact", {"field": "challenges"}],
        status_date=datetime.date(2021, 3, 4),
        founded=2001,
    )
    untyped = Network.objects.create(slug="untyped-network", name="Untyped", network_type=None)
    NetworkAlias.objects.create(network=typed, name="+network")
    for member in (formula, nameless, hidden):
        Membership.objects.create(network=typed, organisation=member, role="member")
    Membership.objects.create(network=typed, advocate=person, role="coordinator")
    Membership.objects.create(network=untyped, organisation=formula)
    PersonalAddress.objects.create(network=typed, email="coordinator@example.org", source=report)
    nameless_type = NetworkType.objects.create(slug="nameless-type", name="", definition="")
    Network.objects.create(slug="nameless-type-network", name="Typed", network_type=nameless_type)


def test_synthetic_and_awkward_records_download_as_through_the_serializers(
    client, monkeypatch, token
):
    synthetic.generate(organisations=150, advocates=200, networks=8, seed=5)
    awkward_records()
    assert_same_bytes(client, monkeypatch, token, minimum_rows=30)
    rows = rows_of(client.get("/organisations/export.csv"))
    formula = next(row for row in rows if row["slug"] == "formula-looking")
    assert formula["name"] == '\'=HYPERLINK("http://example.org")'
    assert formula["aliases"] == "name: ; report: epim-2019 | Ärzte für Flüchtlinge"
    assert formula["other_websites"] == "https://a.example.org | @b | nested | 7 |  | yes"
    assert formula["founded"] == ""


def test_chunks_of_any_size_give_the_same_bytes(client, monkeypatch):
    synthetic.generate(organisations=40, advocates=60, networks=3, seed=9)
    whole = {kind: raw(client.get(f"/api/v1/{kind}/", {"format": "csv"})) for kind in KINDS}
    monkeypatch.setattr(csv_files, "CHUNK_SIZE", 7)
    for kind in KINDS:
        assert raw(client.get(f"/api/v1/{kind}/", {"format": "csv"})) == whole[kind], kind


def test_the_rows_do_not_go_through_the_serializers(client, monkeypatch, token):
    def refuse(*args, **kwargs):
        raise AssertionError("a serializer wrote a row")

    monkeypatch.setattr(serializers.Serializer, "to_representation", refuse)
    monkeypatch.setattr(serializers.ListSerializer, "to_representation", refuse)
    for url, params, headers in downloads(token):
        assert raw(client.get(url, params, **headers)).count(b"\r\n") > 20, url


def plan_columns(serializer_class, request) -> list[str]:
    columns, _ = csv_rows.plan(serializer_class(context={"request": request}))
    return [column.name for column in columns]


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_every_field_of_the_serializers_has_a_column_the_csv_knows_how_to_write(
    serializer_class, token
):
    anonymous = RequestFactory().get("/")
    holder = RequestFactory().get("/")
    holder.auth = token
    for request in (anonymous, holder):
        fields = list(serializer_class(context={"request": request}).fields)
        assert plan_columns(serializer_class, request) == fields


class WithAnExtraField(OrganisationSerializer):
    score = serializers.SerializerMethodField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "score"]

    def get_score(self, organisation) -> int:
        return 1


class WithAnotherShape(OrganisationSerializer):
    sources = TermSerializer(source="citations", many=True, read_only=True)


class WithItsOwnRepresentation(OrganisationSerializer):
    def to_representation(self, instance):
        return {**super().to_representation(instance), "name": "changed"}


@pytest.mark.parametrize("serializer_class", [WithAnExtraField, WithAnotherShape])
def test_a_field_the_csv_cannot_write_stops_the_download_by_its_name(serializer_class):
    request = RequestFactory().get("/")
    with pytest.raises(csv_rows.UnknownColumn, match=r"\.(score|sources) "):
        plan_columns(serializer_class, request)


def test_a_serializer_writing_its_own_representation_is_refused():
    with pytest.raises(csv_rows.UnknownColumn, match="WithItsOwnRepresentation"):
        plan_columns(WithItsOwnRepresentation, RequestFactory().get("/"))


def test_an_address_is_the_one_drf_gives_whatever_the_slug_and_the_request():
    request = RequestFactory().get("/", {"format": "csv"})  # DRF carries `format` along
    field = OrganisationSerializer(context={"request": request}).fields["url"]
    links = csv_rows.Links(field, csv_rows.by_slug)
    address = "http://testserver/api/v1/organisations/{}/?format=csv"
    assert links("plain-slug_1") == address.format("plain-slug_1")
    assert links("café ü") == address.format("caf%C3%A9%20%C3%BC")
    assert links("café ü") == field.to_representation(csv_rows.by_slug("café ü"))


def personal_addresses() -> list[bytes]:
    return [email.encode() for email in PersonalAddress.objects.values_list("email", flat=True)]


def test_anonymous_downloads_never_read_nor_carry_a_personal_address(client):
    awkward_records()
    addresses = personal_addresses()
    assert len(addresses) > 100
    for url, params, headers in downloads():
        with CaptureQueriesContext(connection) as queries:
            content = raw(client.get(url, params, **headers))
        assert b"personal_email" not in content, url
        assert not [address for address in addresses if address in content], url
        assert not [q for q in queries if "personaladdress" in q["sql"]], url


def test_token_holders_get_the_personal_addresses_of_advocates_and_networks(client, token):
    awkward_records()
    for kind, owner, slug, email in [
        ("advocates", "advocate", "awkward-person", "zoe.oneil@example.org"),
        ("networks", "network", "awkward-network", "coordinator@example.org"),
    ]:
        response = client.get(f"/api/v1/{kind}/", {"format": "csv"}, **with_token(token))
        rows = {row["slug"]: row for row in rows_of(response)}
        assert list(rows[slug])[-1] == "personal_email"
        assert rows[slug]["personal_email"] == email
        addresses = PersonalAddress.objects.filter(**{f"{owner}__is_published": True})
        assert {(row["slug"], row["personal_email"]) for row in rows.values()} >= set(
            addresses.values_list(f"{owner}__slug", "email")
        )
        assert sum(1 for row in rows.values() if row["personal_email"]) == addresses.count()
        page = rows_of(client.get(f"/{kind}/export.csv", **with_token(token)))
        assert "personal_email" not in page[0]  # a page's download is anonymous


def download_queries(client, url: str, headers: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = len(rows_of(client.get(url, {"format": "csv"}, **headers)))
    return rows, len(queries)


@pytest.mark.parametrize(
    "kind, per_chunk", [("organisations", 10), ("advocates", 7), ("networks", 8)]
)
def test_each_chunk_reads_one_query_per_relation_whatever_its_rows(
    client, monkeypatch, token, kind, per_chunk
):
    """The main rows are one query; a token holder's personal addresses join it. (On
    PostgreSQL organisations and advocates are written by `csv_sql`: see test_csv_sql.)"""
    for viewset in (OrganisationViewSet, AdvocateViewSet, NetworkViewSet):
        monkeypatch.setattr(viewset, "csv_writer", staticmethod(csv_rows.records_csv))
    url = f"/api/v1/{kind}/"
    client.get(url)  # the filters' choices, cached from then on
    for headers, authentication in (({}, 0), (with_token(token), 1)):
        monkeypatch.setattr(csv_files, "CHUNK_SIZE", 10_000)
        rows, queries = download_queries(client, url, headers)
        assert queries == authentication + 1 + per_chunk, headers
        monkeypatch.setattr(csv_files, "CHUNK_SIZE", 20)
        assert download_queries(client, url, headers) == (
            rows,
            authentication + 1 + per_chunk * -(-rows // 20),
        ), headers


def test_any_of_a_list_of_ids_matches_exactly_those():
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:3])
    assert ids
    chosen = Organisation.objects.filter(csv_rows.AnyOf(F("pk"), ids))
    assert sorted(chosen.values_list("pk", flat=True)) == ids
    assert not Organisation.objects.filter(csv_rows.AnyOf(F("pk"), [])).exists()
