"""Pages of long lists, for the web pages and the API alike.

A list's count comes from the figures cache (`selectors.facets.list_count`), not a `COUNT(*)`
per request. Pages go only `MAX_DEPTH` records deep: past that the database would skip ever more
rows (`OFFSET`) for a page nobody reads, so a deeper page asks to narrow the list instead.

A page is asked for as text (`?page=`), and `page_of` gives it or says, in one wording for the
pages, the API and HSDS (translated), why it cannot: not a page number, past the pages one may
ask for, or past the end. Each surface answers those with its own status (see `PageNotGiven`).

A page's rows are found by id: the ids of each page (its window of the ordered list) are
cached, like the counts, until a record of the list changes (`figure_tags`), and the page reads
its rows by those ids.
Finding them is what costs: a filtered list joins and sorts thousands of rows for its first
twenty, and a ranked search computes the relevance of every match (tens of thousands for a
common word) to order any page of them.
"""

from math import ceil

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.translation import gettext, ngettext

from orgs import caching, figure_tags

MAX_DEPTH = 2_000  # records before the last page one may ask for (100 pages of the web lists)


class CachedPages:
    """A filtered list sliced as a paginator slices it: each window's ids come from the cache
    (named by the filterset's `listing`), and its rows are read by id from the list's base
    queryset, whose ordering, search and filters need not even be compiled again."""

    def __init__(self, queryset, filterset):
        self.queryset, self.listing, self.rows = queryset, filterset.listing(), filterset.queryset
        self.depends = figure_tags.of_order(filterset)

    def ids(self, window: slice) -> list[int]:
        ordered = self.queryset.values_list("pk", flat=True)
        return caching.cached(
            "page",
            (self.listing, window.start, window.stop),
            lambda: list(ordered[window]),
            self.depends,
        )

    def __getitem__(self, window: slice) -> list:
        ids = self.ids(window)
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        """Every row as deep as lists go, in order."""
        return iter(self[0:MAX_DEPTH])


class CountedPaginator(Paginator):
    """A paginator told its count (or counting once, when not told), with pages only as deep as
    `MAX_DEPTH`, unless `unlimited` (HSDS: tools read every page of it, in turn)."""

    def __init__(self, object_list, per_page, count=None, filterset=None, unlimited=False):
        if count is None:
            count = Paginator(object_list, per_page).count
        if filterset is not None:
            object_list = CachedPages(object_list, filterset)
        super().__init__(object_list, per_page)
        self.total, self.unlimited = count, unlimited

    @property
    def count(self) -> int:
        return self.total

    @property
    def max_pages(self) -> int:
        if self.unlimited:
            return self.all_pages
        return max(1, MAX_DEPTH // self.per_page)

    @property
    def all_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return ceil(max(1, self.count - self.orphans) / self.per_page)

    @property
    def num_pages(self) -> int:
        """The pages one may ask for: all of them, or the first `max_pages`."""
        return min(self.all_pages, self.max_pages)

    @property
    def cut_short(self) -> bool:
        return self.all_pages > self.num_pages

    def too_deep(self, number) -> bool:
        """Whether page `number` (as asked for) lies past the pages one may ask for, though
        the list has it."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return False
        return self.max_pages < number <= self.all_pages


class PageNotGiven(Exception):
    """Why a page cannot be given, in the reader's language (`str(error)`). The pages, the API
    and HSDS word it alike; each answers it with its own status (a page that is not a number
    is a 404 on the pages, a 400 of the API)."""


class NotAPageNumber(PageNotGiven):
    pass


class TooDeep(PageNotGiven):
    """A page the list has, past the pages one may ask for (`MAX_DEPTH`)."""


class NoSuchPage(PageNotGiven):
    pass


def whole_number(text: str) -> int | None:
    """The number `text` writes in decimal digits (of any script, as `int` reads them), or
    None: not a number, or more digits than Python converts."""
    try:
        return int(text) if text.isdecimal() else None
    except ValueError:
        return None


def page_number(asked: str) -> int:
    """The page number asked for (`?page=`, "1" when absent): a whole number from 1."""
    number = whole_number(asked)
    if number is None or number < 1:
        raise NotAPageNumber(gettext("“%(number)s” is not a page number.") % {"number": asked})
    return number


def page_of(paginator: CountedPaginator, asked: str) -> Page:
    """The page `asked` for (as text), or `PageNotGiven` saying why there is none."""
    number = page_number(asked)
    try:
        return paginator.page(number)
    except EmptyPage as error:
        if paginator.too_deep(number):
            raise TooDeep(too_deep_message(paginator)) from error
        raise NoSuchPage(no_such_page_message(number, paginator.num_pages)) from error


def too_deep_message(paginator: CountedPaginator) -> str:
    return gettext(
        "Only the first %(pages)s pages of a list are shown. Narrow this list with a filter or a "
        "search to see the rest."
    ) % {"pages": paginator.num_pages}


def no_such_page_message(number: int, pages: int) -> str:
    return ngettext(
        "There is no page %(number)s: this list has %(pages)s page.",
        "There is no page %(number)s: this list has %(pages)s pages.",
        pages,
    ) % {"number": number, "pages": pages}
