"""Pages of long lists, for the web pages and the API alike.

A list's count comes from the figures cache (`selectors.facets.list_count`), not a `COUNT(*)`
per request. Pages go only `MAX_DEPTH` records deep: past that the database would skip ever more
rows (`OFFSET`) for a page nobody reads, so a deeper page asks to narrow the list instead.

A page's rows are found by id: the ids of each page (its window of the ordered list) are
cached, like the counts, until the directory changes, and the page reads its rows by those ids.
Finding them is what costs: a filtered list joins and sorts thousands of rows for its first
twenty, and a ranked search computes the relevance of every match (tens of thousands for a
common word) to order any page of them.
"""

from math import ceil

from django.core.paginator import Paginator
from django.utils.translation import gettext

from orgs import caching

MAX_DEPTH = 2_000  # records before the last page one may ask for (100 pages of the web lists)


class CachedPages:
    """A filtered list sliced as a paginator slices it: each window's ids come from the cache
    (named by the filterset's `listing`), and its rows are read by id from the list's base
    queryset, whose ordering, search and filters need not even be compiled again."""

    def __init__(self, queryset, filterset):
        self.queryset, self.listing, self.rows = queryset, filterset.listing(), filterset.queryset

    def ids(self, window: slice) -> list[int]:
        ordered = self.queryset.values_list("pk", flat=True)
        return caching.cached(
            "page", (self.listing, window.start, window.stop), lambda: list(ordered[window])
        )

    def __getitem__(self, window: slice) -> list:
        ids = self.ids(window)
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        """Every row as deep as lists go, in order."""
        return iter(self[0:MAX_DEPTH])


class CountedPaginator(Paginator):
    """A paginator told its count, with pages only as deep as `MAX_DEPTH`."""

    def __init__(self, object_list, per_page, count: int, filterset=None):
        if filterset is not None:
            object_list = CachedPages(object_list, filterset)
        super().__init__(object_list, per_page)
        self.total = count

    @property
    def count(self) -> int:
        return self.total

    @property
    def max_pages(self) -> int:
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


def too_deep_message(paginator: CountedPaginator) -> str:
    return gettext(
        "Only the first %(pages)s pages of a list are shown. Narrow this list with a filter or a "
        "search to see the rest."
    ) % {"pages": paginator.num_pages}
