"""The filtered lists (organisations, advocates, networks) and the search results page.

A list validates its filters once and reads its page, its facets and the chips of the chosen
values from that one filterset: the FilterSets and querysets the API's lists use too
(`selectors.filters`, `selectors.public_records`), so that a filter appears on both at once.
"""

import re

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from orgs import caching, figure_tags
from orgs.models import FormerCitySlug
from orgs.pages.forms import SearchForm
from orgs.pages.headings import list_heading
from orgs.pages.maps import list_map
from orgs.paging import (
    CountedPaginator,
    NoSuchPage,
    NotAPageNumber,
    PageNotGiven,
    TooDeep,
    page_of,
)
from orgs.selectors import facets, overviews, public_records
from orgs.selectors.filters import (
    AdvocateFilterSet,
    NetworkFilterSet,
    OrganisationFilterSet,
    active_values,
)

PAGE_SIZE = 20
SLUG = re.compile(r"[-a-z0-9_]{1,200}")  # a city's slug, as the filters take it


def organisation_list(request):
    context = {"section": "organisations"}
    return filtered_list(
        request,
        OrganisationFilterSet,
        public_records.organisation_list(),
        "orgs/organisation_list.html",
        context,
        "organisations",
    )


def advocate_list(request):
    return filtered_list(
        request,
        AdvocateFilterSet,
        public_records.advocate_list(),
        "orgs/advocate_list.html",
        {"section": "advocates"},
        "advocates",
    )


def network_list(request):
    context = {"section": "networks", "network_types": overviews.network_types_with_counts()}
    return filtered_list(
        request,
        NetworkFilterSet,
        public_records.network_list(),
        "orgs/network_list.html",
        context,
        "networks",
    )


def filtered_list(request, filterset_class, base_queryset, template, context, noun):
    """A filtered, paginated list; a wrong filter or page shows the form with the reason.

    The filters are validated once; the page, the facets and the chips of the chosen values
    all come from that one filterset, so the queries do not grow with what is chosen. Only an
    empty list costs more: the counts of the near alternatives it suggests.
    """
    cleaned = clean_url(request)
    if cleaned is not None:
        return redirect(cleaned)
    filterset = filterset_class(request.GET, queryset=base_queryset)
    status = 200
    page, page_error = None, ""
    if not filterset.is_valid():
        # A city no longer under that slug: a shared URL from before a rename.
        if "city" in filterset.errors and (renamed := renamed_cities(request)):
            return redirect(with_renamed_cities(request, renamed), permanent=True)
        status = 400
    # The tokens naming the rendered facets and cards (filter_form.html) are read before any
    # record is: whatever is read after them is at least as new as they say.
    facets_version = figures_token(filterset, figure_tags.of_facets)
    results_version = figures_token(filterset, figure_tags.of_page)
    # The facets first: on a cold cache their statement counts the list too.
    listed = facets.facets_for(filterset, expanded=request.GET.get("show", ""))
    if status == 200:
        page, page_error, status = paginate(request, filterset, facets.list_count(filterset))
    query = request.GET.copy()
    query.pop("page", None)
    pairs = [(key, item) for key in query for item in query.getlist(key)]
    active = active_values(filterset)
    alternatives = []
    if page is not None and not page.paginator.count:
        alternatives = [
            {"label": a.label, "count": a.count, "url": "?" + urlencode(a.query)}
            for a in facets.alternatives_for(filterset, listed, pairs)
        ]
    context.update(
        {
            "filterset": filterset,
            "page": page,
            "page_error": page_error,
            "page_numbers": page_numbers(page),
            "query": query.urlencode(),
            "active_filters": active,
            "facets": listed,
            # The rendered facets and cards are cached as their figures are (filter_form.html).
            "facets_version": facets_version,
            "results_version": results_version,
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "heading": list_heading(active if status == 200 else [], noun),
            # The list's feed, with the same filters and search ("Follow this list").
            "feed_url": reverse(f"orgs:{noun}_feed") + ("?" + query.urlencode() if query else ""),
            # Drawn from the facets' counts, and only when the rendered map is not cached.
            "map": SimpleLazyObject(lambda: list_map(filterset, request.GET, request.path, noun))
            if status == 200
            else None,
            "noun_plural": noun,
            "alternatives": alternatives,
        }
    )
    return render(request, template, context, status=status)


def figures_token(filterset, depends) -> str:
    """What names a list's rendered parts in their current state (any edit of its kind's
    records when a filter is wrong: the facets are then rendered from the valid ones alone)."""
    if not filterset.is_valid():
        return caching.token(figure_tags.of_everything([figure_tags.kind_of(filterset)]))
    return caching.token(depends(filterset))


# A wrong page's status on the pages (the API answers 400 for a page that is not a number).
PAGE_STATUS = {NotAPageNumber: 404, TooDeep: 400, NoSuchPage: 404}


def paginate(request, filterset, count: int, page_size=PAGE_SIZE):
    """The requested page of a valid filterset's records, or (None, message, status) when the
    page number is wrong or asks for a page deeper than lists go (see `paging`)."""
    paginator = CountedPaginator(filterset.qs, page_size, count, filterset)
    try:
        page = page_of(paginator, request.GET.get("page", "1"))
    except PageNotGiven as error:
        return None, str(error), PAGE_STATUS[type(error)]
    # The rows are read here, not in the template: `{% if %}` takes any error for False, so a
    # database gone mid-render would show "no organisation matches" instead of the 503 page.
    page.object_list = list(page.object_list)
    return page, "", 200


def page_numbers(page) -> list:
    """The numbers of the pages around the current one and at both ends, `…` for a gap."""
    if page is None or page.paginator.num_pages < 2:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def clean_url(request) -> str | None:
    """The list's URL without empty parameters (a plain form sends `q=`) and without the value
    a chip's button names (`drop=country=DE`, which also goes back to the first page); None
    when the URL is clean already."""
    dropping = "drop" in request.GET
    name, _, value = request.GET.get("drop", "").partition("=")
    pairs = [(key, item) for key in request.GET for item in request.GET.getlist(key)]
    kept = [
        (key, item)
        for key, item in pairs
        if item != "" and key != "drop" and not (dropping and key == "page")
        if not (key == name and item == value)
    ]
    if not dropping and len(kept) == len(pairs):
        return None
    return request.path + ("?" + urlencode(kept) if kept else "")


def renamed_cities(request) -> dict[str, str]:
    """Old city slugs in the filters (a shared URL from before a rename), with their new ones."""
    chosen = [value for value in request.GET.getlist("city") if SLUG.fullmatch(value)]
    if not chosen:
        return {}
    former = FormerCitySlug.objects.filter(slug__in=chosen).select_related("city")
    return {row.slug: row.city.slug for row in former}


def with_renamed_cities(request, renamed: dict[str, str]) -> str:
    query = request.GET.copy()
    query.setlist("city", [renamed.get(slug, slug) for slug in query.getlist("city")])
    return f"{request.path}?{query.urlencode()}"


SECTION_LISTS = {
    "organisations": "orgs:organisations",
    "advocates": "orgs:advocates",
    "networks": "orgs:networks",
}


def search_results(request):
    """What the header's search box finds: organisations first, then advocates and networks,
    each linking to its list with the query, where the filters apply."""
    form = SearchForm(request.GET)
    query, sections, status = "", [], 200
    if not form.is_valid():
        status = 400
    else:
        query = form.cleaned_data["q"]
    if query:
        for section in public_records.search_everything(query):
            section.browse_url = reverse(SECTION_LISTS[section.name])
            section.list_url = section.browse_url + "?" + urlencode({"q": query})
            sections.append(section)
    context = {"form": form, "query": query, "sections": sections}
    return render(request, "orgs/search_results.html", context, status=status)
