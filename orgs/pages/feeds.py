"""Atom feeds of the lists: the newest and latest changed records of any filtered list.

`/organisations/feed/?country=GR&leadership=refugee-led` takes the list page's parameters and
reads them with the list's FilterSet and queryset (`selectors.filters`, `public_records`), so
that a feed holds what its list holds; a wrong value is refused with the reason, as the list
refuses it. Each entry says what the record's last change was (`selectors.changes`), naming
fields, never their values: a feed is as public as the list, and a private field's value or a
person's own address has no way into it. A feed is cached as its list's cards are
(`figure_tags.of_page`): until an edit of a record of the list.
"""

from dataclasses import dataclass
from html import escape

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from orgs import caching, figure_tags
from orgs.choices import Leadership
from orgs.models import Advocate, Network, Organisation
from orgs.pages.headings import list_heading
from orgs.pages.lists import renamed_cities, with_renamed_cities
from orgs.selectors import public_records
from orgs.selectors.changes import LastChange, last_changes
from orgs.selectors.filters import (
    AdvocateFilterSet,
    NetworkFilterSet,
    OrganisationFilterSet,
    active_values,
)

FEED_SIZE = 50  # entries: the records changed last

PLACES_AND_TERMS = {
    "name": _("Name"),
    "countries": _("Countries"),
    "cities": _("Cities"),
    "location_raw": _("Where"),
    "levels": _("Levels of work"),
    "levels_raw": _("Levels of work"),
    "focus_areas": _("Focus areas"),
    "focus_raw": _("Focus areas"),
    "target_groups": _("Target groups"),
    "target_groups_raw": _("Target groups"),
}
# The public fields of each kind of record, named as its page names them: a change to any
# other field (an editor's note, the publishing state) is said without naming it.
FIELD_LABELS = {
    Organisation: {
        **PLACES_AND_TERMS,
        "description": _("Description"),
        "form": _("Form"),
        "form_raw": _("Form"),
        "leadership": _("Leadership"),
        "leadership_evidence": _("Leadership"),
        "website": _("Website"),
        "other_websites": _("Website"),
        "email": _("Public email"),
        "founded": _("Founded"),
    },
    Advocate: {**PLACES_AND_TERMS, "roles": _("Roles")},
    Network: {
        **PLACES_AND_TERMS,
        "focus_areas": _("Fields of action"),
        "focus_raw": _("Fields of action"),
        "heading": _("Where"),
        "network_type": _("Type of network"),
        "type_raw": _("Type of network"),
        "formalisation": _("Degree of formalisation"),
        "formalisation_raw": _("Degree of formalisation"),
        "founded": _("Founded"),
        "coordinator_raw": _("Coordinator"),
        "members_raw": _("Members"),
        "description": _("Description"),
        "resources": _("Resources"),
        "internal_communication": _("Internal communication"),
        "external_communication": _("External communication"),
        "success_factors": _("Success factors"),
        "challenges": _("Challenges and lessons learnt"),
        "evaluation_sustainability": _("Evaluation and sustainability"),
        "impact": _("Impact, innovation and transferability"),
        "websites": _("Website and social media"),
        "social_media": _("Website and social media"),
        "email": _("Contact email"),
        "status_date": _("Status of information"),
        "unreadable_fields": _("Not readable in the source"),
    },
}


def confirmed_by(record) -> str:
    """Who confirmed the record: the listed themselves."""
    if isinstance(record, Organisation):
        return gettext("Confirmed by the organisation")
    if isinstance(record, Network):
        return gettext("Confirmed by the network")
    return gettext("Confirmed by %(name)s") % {"name": record.name}


def what_changed(record, change: LastChange | None) -> str:
    """The last change in words: "New in the directory", who confirmed it, the fields changed."""
    if change is not None and change.new:
        return gettext("New in the directory")
    said = []
    fields = change.fields if change is not None else frozenset()
    if "confirmed_on" in fields and record.confirmed_on is not None:
        said.append(confirmed_by(record))
    labels = [str(label) for name, label in FIELD_LABELS[type(record)].items() if name in fields]
    if labels:
        names = ", ".join(dict.fromkeys(labels))
        said.append(gettext("Changed: %(fields)s") % {"fields": names})
    return ". ".join(said) if said else gettext("Details updated")


def public_summary(record) -> str:
    """Where the record works, its leadership or type, and its focus: what its list card says."""
    places = [city.translated_name for city in record.cities.all()]
    places += [country.translated_name for country in record.countries.all()]
    parts = [", ".join(places)]
    if isinstance(record, Organisation) and record.leadership != Leadership.UNKNOWN:
        parts.append(str(record.get_leadership_display()))
    if isinstance(record, Network) and record.network_type is not None:
        parts.append(record.network_type.name)
    if isinstance(record, Advocate):
        parts.append(", ".join(organisation.name for organisation in record.organisations.all()))
    parts.append(", ".join(term.translated_name for term in record.focus_areas.all()))
    return " · ".join(part for part in parts if part)


@dataclass
class FollowedList:
    """A valid filtered list as its feed shows it."""

    heading: str
    link: str  # the list's page with the filters
    feed_url: str
    records: list


class ListFeed(Feed):
    """The feed of one kind of list; the view validates the filters and passes the filterset."""

    feed_type = Atom1Feed
    noun = ""  # the list's, as `headings` and the URL names have it

    def get_object(self, request, filterset):
        query = urlencode([(key, item) for key in request.GET for item in request.GET.getlist(key)])
        suffix = "?" + query if query else ""
        records = list(filterset.qs.order_by("-updated_at", "-pk")[:FEED_SIZE])
        changes = last_changes(filterset._meta.model, [record.pk for record in records])
        for record in records:
            said = what_changed(record, changes.get(record.pk))
            summary = public_summary(record)
            # Atom's summary is HTML: a name's "<" or "&" is text, its apostrophe needs nothing.
            record.feed_summary = escape(f"{said}. {summary}" if summary else said, quote=False)
        return FollowedList(
            heading=list_heading(active_values(filterset), self.noun),
            link=reverse(f"orgs:{self.noun}") + suffix,
            feed_url=request.path + suffix,
            records=records,
        )

    def title(self, followed):
        return f"{followed.heading} · {gettext('Migrant-led Europe directory')}"

    def subtitle(self, followed):
        return gettext("New and changed records of this list, the latest change first.")

    def link(self, followed):
        return followed.link

    def feed_url(self, followed):
        return followed.feed_url

    def author_name(self):
        return gettext("Migrant-led Europe directory")

    def items(self, followed):
        return followed.records

    def item_title(self, record):
        return record.name

    def item_description(self, record):
        return record.feed_summary

    def item_guid(self, record):
        """Stable whatever the record's slug or the feed's language becomes."""
        return f"tag:{self.host},{record.created_at:%Y-%m-%d}:{self.noun}/{record.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, record):
        return gettext("Migrant-led Europe directory")

    def item_pubdate(self, record):
        return record.created_at

    def item_updateddate(self, record):
        return record.updated_at

    def __call__(self, request, *args, **kwargs):
        self.host = request.get_host().split(":")[0]
        return super().__call__(request, *args, **kwargs)


class OrganisationFeed(ListFeed):
    noun = "organisations"


class AdvocateFeed(ListFeed):
    noun = "advocates"


class NetworkFeed(ListFeed):
    noun = "networks"


def list_feed(request, feed: ListFeed, filterset_class, records):
    """The feed of a valid filtered list; a wrong filter is refused with the reason (400)."""
    filterset = filterset_class(request.GET, queryset=records)
    if not filterset.is_valid():
        if "city" in filterset.errors and (renamed := renamed_cities(request)):
            return redirect(with_renamed_cities(request, renamed), permanent=True)
        reasons = [f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()]
        return HttpResponseBadRequest(
            "\n".join([gettext("No feed: fix the filters."), *reasons]) + "\n",
            content_type="text/plain; charset=utf-8",
        )

    def written() -> tuple[bytes, str]:
        response = feed(request, filterset=filterset)
        return response.content, response["Last-Modified"]

    # Cached as the list's cards are, until an edit of a record of the list retires them; the
    # absolute addresses in a feed name the host it was asked from.
    parts = (request.get_host(), request.is_secure(), get_language(), request.get_full_path())
    depends = figure_tags.of_page(filterset)
    content, last_modified = caching.cached("list-feed", parts, written, depends)
    response = HttpResponse(content, content_type=Atom1Feed.content_type)
    response["Last-Modified"] = last_modified
    return response


def organisation_feed(request):
    return list_feed(
        request, OrganisationFeed(), OrganisationFilterSet, public_records.organisation_list()
    )


def advocate_feed(request):
    return list_feed(request, AdvocateFeed(), AdvocateFilterSet, public_records.advocate_list())


def network_feed(request):
    return list_feed(request, NetworkFeed(), NetworkFilterSet, public_records.network_list())
