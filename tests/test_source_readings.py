"""Readings of the reports that a review corrected, each checked against what the report says."""

import pytest

from orgs.models import Network

pytestmark = pytest.mark.django_db

# The ERASMI profiles whose "Field(s) of action" tick "Culture and sports" (004_...txt lines
# 850, 919, 1294, 1344, 1807, 1866, 2072 and 2141).
CULTURE_AND_SPORTS = {
    "caritas-diakonie-zora-netzwerk-halberstadt",
    "integrationsnetzwerk-dortmund-lokal-willkommen",
    "newcomers-network-harz",
    "narrative-4-girls-stories",
    "orti-in-pace",
    "grupp-39",
    "tuzla-municipality-mother-child-education-centre",
    "tuzla-social-assistance-and-solidarity-platform",
}


def networks_in(focus: str) -> set[str]:
    return set(Network.objects.filter(focus_areas__slug=focus).values_list("slug", flat=True))


def test_every_network_that_ticked_culture_and_sports_is_in_both_fields_and_no_other_in_sports():
    assert networks_in("sports") == CULTURE_AND_SPORTS
    assert CULTURE_AND_SPORTS <= networks_in("culture")
    for network in Network.objects.filter(slug__in=CULTURE_AND_SPORTS):
        assert "culture and sports" in network.focus_raw.replace("&", "and").casefold()
