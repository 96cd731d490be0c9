"""One record's page: an organisation (with its like-minded partners), an advocate, a network.

A merged or renamed record's old address redirects for good to the record it became, so that
links shared before the merge keep working.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from orgs.models import FormerAdvocateSlug, FormerOrganisationSlug
from orgs.selectors import partners, public_records


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
    }
    return render(request, "orgs/organisation_detail.html", context)


def advocate_detail(request, slug):
    advocate, moved = found_or_moved(
        public_records.advocate_detail(slug), FormerAdvocateSlug.objects, slug
    )
    if moved:
        return moved
    return render(
        request, "orgs/advocate_detail.html", {"section": "advocates", "advocate": advocate}
    )


def network_detail(request, slug):
    network = get_object_or_404(public_records.network_detail(slug))
    return render(request, "orgs/network_detail.html", {"section": "networks", "network": network})


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
