"""An organisation's own mailbox is public contact data; a person's named address is private
(fixtures/source/README.md, "Public and private addresses"). Examples from the reports."""

import pytest

from orgs.models import Advocate, Network, Organisation, PersonalAddress
from orgs.seeding.build import build_fixtures
from orgs.seeding.registry import SourceDataError
from tests.seeding.sources import copy_sources

pytestmark = pytest.mark.django_db

# General or role mailboxes: never a person's own address.
ROLE_MAILBOXES = {"info", "geral", "contact", "kontakt", "office", "reception", "netzwerk", "mail"}


def test_an_organisations_general_mailbox_in_a_persons_row_is_the_organisations_public_address():
    # EPIM line 761: Abdalla Ahmed Mohamed, "Geral@urep.pt", "UREP AND FÓRUM REFÚGIO PORTUGAL".
    urep = Organisation.objects.get(slug="uniao-de-refugiados-em-portugal")
    assert urep.email == "Geral@urep.pt"
    advocate = Advocate.objects.get(name="Abdalla Ahmed Mohamed")
    assert not PersonalAddress.objects.filter(advocate=advocate).exists()
    # A named person at the same organisation keeps a private address (line 760).
    mubarak = Advocate.objects.get(name="Mubarak Hussein")
    assert mubarak.personal_address.email == "mubarak.hussein@urep.pt"


def test_an_address_named_after_the_organisation_is_public():
    # EPIM lines 719 and 685: the organisation's name written as one word.
    assert Organisation.objects.get(slug="comitato-3-ottobre").email == "comitato3ottobre@gmail.com"
    radio = Organisation.objects.get(slug="refugee-radio-network")
    assert radio.email == "refugeeradionetwork@gmail.com"
    assert not PersonalAddress.objects.filter(advocate__name="Brhane Tareke").exists()
    assert not PersonalAddress.objects.filter(advocate__name="Larry Macaulay").exists()


def test_a_persons_named_address_is_private_even_as_an_organisations_or_networks_only_contact():
    # EPIM line 680: the Festival des Solidarités' Jean-Marc, in Syrians & Friends Paris's row.
    syrians = Organisation.objects.get(name="Syrians & Friends Paris")
    assert syrians.email == ""
    # ERASMI line 983 (Dortmund's contact) and an EPIM person's own address (line 623).
    dortmund = Network.objects.get(slug="integrationsnetzwerk-dortmund-lokal-willkommen")
    assert (dortmund.email, dortmund.personal_address.email) == ("", "nfarshi@stadtdo.de")
    kwieder = Advocate.objects.get(name="Abdulhamid Kwieder")
    assert kwieder.personal_address.email == "abdulhamid.kuider@gmail.com"
    # In doubt, private: "awp.vrou@" (line 733) is neither a role nor the organisation's name.
    assert Advocate.objects.get(name="Lydia Booji").personal_address.email == "awp.vrou@gmail.com"
    public = set(Organisation.objects.values_list("email", flat=True))
    public |= set(Network.objects.values_list("email", flat=True))
    assert not {"jean-marc@festivaldessolidarites.org", "nfarshi@stadtdo.de"} & public


def test_no_private_address_is_a_general_mailbox():
    addresses = PersonalAddress.objects.values_list("email", flat=True)
    local_parts = {email.split("@")[0].casefold() for email in addresses}
    assert local_parts and not local_parts & ROLE_MAILBOXES


def test_a_mailbox_listed_for_an_organisation_the_row_does_not_name_stops_the_build(tmp_path):
    source = copy_sources(tmp_path)
    addresses = source / "epim-2019" / "organisation-addresses.tsv"
    with addresses.open("a", encoding="utf-8") as handle:
        handle.write("mubarak.hussein@urep.pt\tcomitato-3-ottobre\tWrong organisation.\n")
    with pytest.raises(SourceDataError, match="annex2.tsv line 760: mubarak.hussein@urep.pt"):
        build_fixtures(source)
