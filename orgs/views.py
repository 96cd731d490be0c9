"""Public pages: home, organisations, advocates, networks, countries, focus areas, reports."""

import csv

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django_countries import countries

from . import selectors
from .charts import BarChart
from .filters import AdvocateFilterSet, NetworkFilterSet, OrganisationFilterSet
from .models import Advocate, FocusArea, Leadership, Network, Organisation, Source

PAGE_SIZE = 20


def paginate(request, queryset, page_size=PAGE_SIZE):
    """The requested page, or (None, message) when the page number is wrong."""
    paginator = Paginator(queryset, page_size)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number), ""
    except PageNotAnInteger:
        return None, f"“{number}” is not a page number."
    except EmptyPage:
        pages = paginator.num_pages
        return None, f"There is no page {number}: this list has {pages} page{'s' * (pages != 1)}."


def active_filters(request, filterset):
    """Each selected filter value with its label and the URL that removes just that value."""
    active = []
    for name, filter_ in filterset.filters.items():
        if name in ("sort", "modified_after"):
            continue
        for value in request.GET.getlist(name):
            if not value:
                continue
            remaining = [
                (key, item)
                for key in request.GET
                for item in request.GET.getlist(key)
                if key != "page" and not (key == name and item == value)
            ]
            label = option_label(filter_, value)
            active.append(
                {"filter": filter_.label, "label": label, "remove_url": "?" + urlencode(remaining)}
            )
    return active


def option_label(filter_, value):
    choices = dict(filter_.extra.get("choices") or [])
    if choices:
        return str(choices.get(value.upper() if filter_.field_name == "country" else value, value))
    queryset = filter_.extra.get("queryset")
    if queryset is not None:
        match = queryset.filter(**{filter_.extra.get("to_field_name", "pk"): value}).first()
        return str(match) if match else value
    return value


def filtered_list(request, filterset_class, selector, template, context):
    """A filtered, paginated list; a wrong filter or page shows the form with the reason."""
    filterset = filterset_class(request.GET, queryset=filterset_class._meta.model.objects)
    status = 200
    page, page_error = None, ""
    if not filterset.is_valid():
        status = 400
    else:
        page, page_error = paginate(request, selector(filterset))
        if page_error:
            status = 404
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "filterset": filterset,
            "page": page,
            "page_error": page_error,
            "query": query.urlencode(),
            "active_filters": active_filters(request, filterset),
            "facets": selectors.facets_for(filterset_class, request.GET),
        }
    )
    return render(request, template, context, status=status)


def organisation_list(request):
    context = {"section": "organisations"}
    return filtered_list(
        request,
        OrganisationFilterSet,
        selectors.organisations_for,
        "orgs/organisation_list.html",
        context,
    )


CSV_COLUMNS = [
    "name", "url", "aliases", "form", "leadership", "leadership_evidence", "country", "cities",
    "levels_of_work", "focus_areas", "target_groups", "website", "email", "sources",
]  # fmt: skip


def organisation_csv(request):
    """The current filtered list as CSV: public fields only."""
    filterset = OrganisationFilterSet(request.GET, queryset=Organisation.objects)
    if not filterset.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        return HttpResponse(f"Invalid filter: {errors}\n", status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organisations.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for org in selectors.organisations_for_export(filterset):
        writer.writerow(
            [
                org.name,
                request.build_absolute_uri(org.get_absolute_url()),
                " | ".join(alias.name for alias in org.aliases.all()),
                org.get_form_display(),
                org.get_leadership_display(),
                org.get_leadership_evidence_display(),
                org.country.code,
                " | ".join(city.name for city in org.cities.all()),
                " | ".join(level.name for level in org.levels.all()),
                " | ".join(term.name for term in org.focus_areas.all()),
                " | ".join(term.name for term in org.target_groups.all()),
                org.website,
                org.email,
                " | ".join(str(citation) for citation in org.citations.all()),
            ]
        )
    return response


def organisation_detail(request, slug):
    organisation = get_object_or_404(selectors.organisation_detail(slug))
    other_countries = request.GET.get("other_countries") == "1"
    context = {
        "section": "organisations",
        "organisation": organisation,
        "other_countries": other_countries,
        "like_minded": selectors.like_minded(organisation, other_countries=other_countries),
    }
    return render(request, "orgs/organisation_detail.html", context)


def advocate_list(request):
    return filtered_list(
        request,
        AdvocateFilterSet,
        selectors.advocates_for,
        "orgs/advocate_list.html",
        {"section": "advocates"},
    )


def advocate_detail(request, slug):
    advocate = get_object_or_404(selectors.advocate_detail(slug))
    return render(
        request, "orgs/advocate_detail.html", {"section": "advocates", "advocate": advocate}
    )


def network_list(request):
    context = {"section": "networks", "network_types": selectors.network_types_with_counts()}
    return filtered_list(
        request, NetworkFilterSet, selectors.networks_for, "orgs/network_list.html", context
    )


def network_detail(request, slug):
    network = get_object_or_404(selectors.network_detail(slug))
    return render(request, "orgs/network_detail.html", {"section": "networks", "network": network})


def home(request):
    by_country = selectors.organisations_by_country()
    organisations_url = reverse("orgs:organisations")
    country_chart = BarChart(
        "Organisations by country",
        [
            (name, count, reverse("orgs:country", args=[code]))
            for code, name, count in by_country[:15]
        ],
        sample=f"The 15 of {len(by_country)} countries with the most organisations"
        if len(by_country) > 15
        else "",
    )
    focus_areas = list(selectors.focus_areas_with_counts()[:8])
    context = {
        "counts": selectors.directory_counts(),
        "country_chart": country_chart,
        "focus_areas": focus_areas,
        "countries": by_country,
        "leadership_links": [
            (label, f"{organisations_url}?leadership={value}")
            for value, label in Leadership.choices
            if value in ("migrant-led", "refugee-led", "diaspora-led")
        ],
    }
    return render(request, "orgs/home.html", context)


def country_list(request):
    context = {"section": "countries", "countries": selectors.organisations_by_country()}
    return render(request, "orgs/country_list.html", context)


def country_detail(request, code):
    code = code.upper()
    if code not in countries:
        raise Http404("No such country code.")
    organisations = Organisation.objects.filter(country=code)
    focus = (
        FocusArea.objects.filter(organisations__country=code)
        .annotate(count=Count("organisations"))
        .order_by("-count", "name")
    )
    organisations_url = reverse("orgs:organisations")
    context = {
        "section": "countries",
        "code": code,
        "name": countries.name(code),
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related("cities", "focus_areas")[:PAGE_SIZE],
        "advocates": Advocate.objects.filter(country=code).prefetch_related("cities")[:50],
        "advocate_count": Advocate.objects.filter(country=code).count(),
        "networks": Network.objects.filter(country=code).select_related("network_type"),
        "focus_chart": BarChart(
            f"Focus areas of organisations in {countries.name(code)}",
            [
                (term.name, term.count, f"{organisations_url}?country={code}&focus={term.slug}")
                for term in focus
            ],
        ),
        "list_url": f"{organisations_url}?country={code}",
    }
    return render(request, "orgs/country_detail.html", context)


def focus_list(request):
    context = {"section": "focus", "focus_areas": selectors.focus_areas_with_counts()}
    return render(request, "orgs/focus_list.html", context)


def focus_detail(request, slug):
    focus = get_object_or_404(FocusArea, slug=slug)
    organisations = focus.organisations.all()
    by_country = (
        organisations.exclude(country="")
        .values_list("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    organisations_url = reverse("orgs:organisations")
    context = {
        "section": "focus",
        "focus": focus,
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related("cities", "focus_areas")[:PAGE_SIZE],
        "advocate_count": focus.advocates.count(),
        "networks": focus.networks.select_related("network_type"),
        "country_chart": BarChart(
            f"Organisations working on {focus.name.lower()}, by country",
            [
                (countries.name(code), count, f"{organisations_url}?focus={slug}&country={code}")
                for code, count in by_country
            ],
        ),
        "list_url": f"{organisations_url}?focus={slug}",
    }
    return render(request, "orgs/focus_detail.html", context)


def source_list(request):
    return render(
        request,
        "orgs/source_list.html",
        {"section": "sources", "sources": selectors.sources_with_counts()},
    )


def source_detail(request, key):
    source = get_object_or_404(Source, key=key)
    organisations = Organisation.objects.filter(citations__source=source).distinct()
    context = {
        "section": "sources",
        "source": source,
        "organisation_count": organisations.count(),
        "organisations": organisations.prefetch_related("cities", "focus_areas")[:50],
        "advocates": Advocate.objects.filter(citations__source=source).distinct()[:50],
        "advocate_count": Advocate.objects.filter(citations__source=source).distinct().count(),
        "networks": Network.objects.filter(citations__source=source).distinct(),
        "surveys": source.surveys.all(),
        "list_url": f"{reverse('orgs:organisations')}?source={source.key}",
    }
    return render(request, "orgs/source_detail.html", context)
