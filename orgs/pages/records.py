"""One record's page: an organisation (with its like-minded partners), an advocate, a network;
each says how to reach the record: a "Write to" form where the person accepts messages, and
otherwise the next best way that is true (`selectors.reaching`).
Each carries, for search engines and link previews, the record's schema.org JSON-LD and summary
(`structured_data`).

A merged or renamed record's old address redirects for good to the record it became, so that
links shared before the merge keep working.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from orgs.models import FormerAdvocateSlug, FormerOrganisationSlug
from orgs.pages import structured_data
from orgs.pages.forms import WriteToForm
from orgs.pages.maps import network_map
from orgs.selectors import overviews, partners, public_records, reaching


def organisation_detail(request, slug):
    organisation, moved = found_or_moved(
        public_records.organisation_detail(slug), FormerOrganisationSlug.objects, slug
    )
    if moved:
        return moved
    other_countries = request.GET.get("other_countries") == "1"
    context = {
        "section": "organisations",
        "organisation": organisation,
        "other_countries": other_countries,
        "like_minded": partners.like_minded(organisation, other_countries=other_countries),
        "reach": reaching.ways_to_reach(organisation),
        **structured_data.page_context(structured_data.organisation(organisation, request)),
    }
    return render(request, "orgs/organisation_detail.html", context)


def advocate_detail(request, slug):
    advocate, moved = found_or_moved(
        reaching.with_consent(public_records.advocate_detail(slug), "advocate"),
        FormerAdvocateSlug.objects,
        slug,
    )
    if moved:
        return moved
    context = {
        "section": "advocates",
        "advocate": advocate,
        "write_form": WriteToForm() if advocate.accepts_messages else None,
        "organisations_to_reach": reaching.organisations_to_reach_for(advocate),
        **structured_data.page_context(structured_data.advocate(advocate, request)),
    }
    return render(request, "orgs/advocate_detail.html", context)


def network_detail(request, slug):
    network = get_object_or_404(
        reaching.with_consent(public_records.network_detail(slug), "network")
    )
    context = {
        "section": "networks",
        "network": network,
        "write_form": WriteToForm() if network.accepts_messages else None,
        **structured_data.page_context(structured_data.network(network, request)),
        "map": network_map(network, overviews.member_places(network)),
    }
    return render(request, "orgs/network_detail.html", context)


def found_or_moved(queryset, former_slugs, slug):
    """The record at `slug`, or a permanent redirect when it was merged into (or renamed to)
    another one; 404 otherwise."""
    record = queryset.first()
    if record is not None:
        return record, None
    former = former_slugs.filter(slug=slug).first()
    if former is None:
        raise Http404("No such record.")
    return None, redirect(former.record.get_absolute_url(), permanent=True)
