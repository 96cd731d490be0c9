"""The sitemap (`/sitemap.xml`, an index of sections) and `/robots.txt`, for search engines.

Every public page is listed in each of the four languages, with its alternates in the others
(hreflang, and `x-default` for the unprefixed English address). A sitemap holds at most 50,000
addresses: the records' sections are paginated (`?p=2`), each page read with one query of slugs
and dates, whatever the size of the directory. Django's `Sitemap` builds a list of every record
in every language before it paginates; `InEveryLanguage` reads one page of records instead.
"""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_GET

from orgs.models import Country, FocusArea, Source
from orgs.selectors.public_records import public_advocates, public_networks, public_organisations
from surveys.models import Survey

# Records per page of a section: each is listed once per language, so a page holds four times
# as many addresses, far below the protocol's 50,000 (and its 50 MB, alternates included).
RECORDS_PER_PAGE = 2500


class InEveryLanguage(Sequence):
    """Each record once per language, as Django's i18n sitemaps expect `(record, language)`,
    read from the database a page at a time (a slice of the queryset) and counted with one
    query."""

    def __init__(self, records, languages: list[str]):
        self.records = records
        self.languages = languages

    def count(self) -> int:
        return self.records.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        size = len(self.languages)
        first, last = index.start // size, -(-index.stop // size)
        pairs = [
            (record, language) for record in self.records[first:last] for language in self.languages
        ]
        skipped = first * size
        return pairs[index.start - skipped : index.stop - skipped]


class Localised(Sitemap):
    """A section whose every address exists in every language of the site."""

    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(Localised):
    """One kind of public record, newest changes dated (`lastmod`), a page at a time."""

    public = staticmethod(public_organisations)
    limit = RECORDS_PER_PAGE * len(settings.LANGUAGES)

    def items(self):
        return self.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at

    @property
    def paginator(self):
        return Paginator(InEveryLanguage(self.items(), self._languages()), self.limit)

    def get_latest_lastmod(self):
        """The section's latest change, read with one query (Django's default would read
        every record)."""
        return self.public().aggregate(latest=Max("updated_at"))["latest"]


class OrganisationSitemap(RecordSitemap):
    public = staticmethod(public_organisations)


class AdvocateSitemap(RecordSitemap):
    public = staticmethod(public_advocates)


class NetworkSitemap(RecordSitemap):
    public = staticmethod(public_networks)


class ListSitemap(Localised):
    """The home page, the lists and the overviews' indexes, and the privacy page."""

    def items(self):
        return [
            "home",
            "orgs:organisations",
            "orgs:advocates",
            "orgs:networks",
            "orgs:countries",
            "orgs:focus_areas",
            "orgs:sources",
            "surveys:surveys",
            "orgs:privacy",
        ]

    def location(self, name):
        return reverse(name)


class OverviewSitemap(Localised):
    """A page per country, focus area, report and survey: a few hundred at most."""

    def items(self):
        return [
            *(("orgs:country", code) for code in Country.objects.values_list("code", flat=True)),
            *(("orgs:focus", slug) for slug in FocusArea.objects.values_list("slug", flat=True)),
            *(("orgs:source", key) for key in Source.objects.values_list("key", flat=True)),
            *(("surveys:survey", slug) for slug in Survey.objects.values_list("slug", flat=True)),
        ]

    def location(self, item):
        name, key = item
        return reverse(name, args=[key])


SITEMAPS = {
    "pages": ListSitemap,
    "overviews": OverviewSitemap,
    "organisations": OrganisationSitemap,
    "advocates": AdvocateSitemap,
    "networks": NetworkSitemap,
}


# What crawlers may read: the pages, not the API (its answers repeat the pages', and a token
# holder's are no crawler's), nor the CSV downloads (whole lists, heavy to write); and none of
# the forms (a suggestion, a message: "*" stands for any record's address, in any language), the
# pages a sender or one of the listed reaches through a personal link in their mail, or the
# search results (endless combinations of words, over the records the lists already show).
# Admin is not named: its address (ADMIN_PATH) is kept away from robots, and asks for a sign-in.
PRIVATE_PATHS = ("search/", "suggest/", "messages/", "listed/")
FORMS_OF_A_RECORD = ("/*/suggest/", "/*/write/")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /api/", "Disallow: /*.csv"]
    lines += [f"Disallow: {path}" for path in FORMS_OF_A_RECORD]
    for code, _name in settings.LANGUAGES:
        with override(code):
            home = reverse("home")
        lines += [f"Disallow: {home}{path}" for path in PRIVATE_PATHS]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
