"""Public pages: home, organisations, advocates, networks, countries, focus areas, reports."""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_countries import countries

from orgs import caching
from orgs.api.csv_rows import records_csv
from orgs.api.serializers import AdvocateSerializer, NetworkSerializer, OrganisationSerializer
from orgs.models import (
    FormerAdvocateSlug,
    FormerCitySlug,
    FormerOrganisationSlug,
    SuggestionKind,
)
from orgs.pages.charts import BarChart
from orgs.pages.forms import AdvocateCorrectionForm, CorrectionForm, NewOrganisationForm, SearchForm
from orgs.pages.headings import list_heading, lower_first
from orgs.paging import CountedPaginator, too_deep_message
from orgs.selectors import facets, overviews, partners, public_records
from orgs.selectors.filters import (
    AdvocateFilterSet,
    NetworkFilterSet,
    OrganisationFilterSet,
    active_values,
)
from orgs.services import suggestions

PAGE_SIZE = 20
SLUG = re.compile(r"[-a-z0-9_]{1,200}")


def paginate(request, filterset, count: int, page_size=PAGE_SIZE):
    """The requested page of a valid filterset's records, or (None, message, status) when the
    page number is wrong or asks for a page deeper than lists go (see `paging`)."""
    paginator = CountedPaginator(filterset.qs, page_size, count, filterset)
    number = request.GET.get("page", "1")
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        return None, gettext("“%(number)s” is not a page number.") % {"number": number}, 404
    except EmptyPage:
        if paginator.too_deep(number):
            return None, too_deep_message(paginator), 400
        pages = paginator.num_pages
        message = ngettext(
            "There is no page %(number)s: this list has %(pages)s page.",
            "There is no page %(number)s: this list has %(pages)s pages.",
            pages,
        )
        return None, message % {"number": number, "pages": pages}, 404
    # The rows are read here, not in the template: `{% if %}` takes any error for False, so a
    # database gone mid-render would show "no organisation matches" instead of the 503 page.
    page.object_list = list(page.object_list)
    return page, "", 200


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
    else:
        page, page_error, status = paginate(request, filterset, facets.list_count(filterset))
    query = request.GET.copy()
    query.pop("page", None)
    pairs = [(key, item) for key in query for item in query.getlist(key)]
    listed = facets.facets_for(filterset, expanded=request.GET.get("show", ""))
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
            # The rendered facets are cached as the figures are (see filter_form.html).
            "figures_version": caching.version(),
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "heading": list_heading(active if status == 200 else [], noun),
            "noun_plural": noun,
            "alternatives": alternatives,
        }
    )
    return render(request, template, context, status=status)


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


def page_numbers(page) -> list:
    """The numbers of the pages around the current one and at both ends, `…` for a gap."""
    if page is None or page.paginator.num_pages < 2:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


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


def list_csv(request, filterset_class, records, serializer_class, filename):
    """A filtered list as CSV: the API's fields, public ones only, streamed."""
    filterset = filterset_class(request.GET, queryset=records)
    if not filterset.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        return HttpResponse(f"Invalid filter: {errors}\n", status=400, content_type="text/plain")
    return records_csv(serializer_class, filterset.qs, {"request": request}, filename)


def organisation_csv(request):
    records = public_records.organisation_records()
    return list_csv(
        request, OrganisationFilterSet, records, OrganisationSerializer, "organisations.csv"
    )


def advocate_csv(request):
    records = public_records.advocate_records()
    return list_csv(request, AdvocateFilterSet, records, AdvocateSerializer, "advocates.csv")


def network_csv(request):
    records = public_records.network_records()
    return list_csv(request, NetworkFilterSet, records, NetworkSerializer, "networks.csv")


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


def advocate_list(request):
    return filtered_list(
        request,
        AdvocateFilterSet,
        public_records.advocate_list(),
        "orgs/advocate_list.html",
        {"section": "advocates"},
        "advocates",
    )


def advocate_detail(request, slug):
    advocate, moved = found_or_moved(
        public_records.advocate_detail(slug), FormerAdvocateSlug.objects, slug
    )
    if moved:
        return moved
    return render(
        request, "orgs/advocate_detail.html", {"section": "advocates", "advocate": advocate}
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


def network_detail(request, slug):
    network = get_object_or_404(public_records.network_detail(slug))
    return render(request, "orgs/network_detail.html", {"section": "networks", "network": network})


SEVERAL_VALUES_NOTE = gettext_lazy(
    "An organisation can work in several countries and on several focus areas, so shares "
    "can add up to more than 100%."
)


def home(request):
    by_country = overviews.organisations_by_country()
    organisations_url = reverse("orgs:organisations")
    counts = overviews.directory_counts()
    sample = ""
    if len(by_country) > 15:
        sample = gettext("The 15 of %(count)s countries with the most organisations") % {
            "count": len(by_country)
        }
    country_chart = BarChart(
        gettext("Organisations by country"),
        [
            (name, count, reverse("orgs:country", args=[code]))
            for code, name, count in by_country[:15]
        ],
        sample=sample,
        base=counts["organisations"],
        category_label=gettext("Country"),
        value_label=gettext("Organisations (share of all %(count)s)")
        % {"count": counts["organisations"]},
        note=SEVERAL_VALUES_NOTE,
    )
    focus_areas = list(overviews.focus_areas_with_counts()[:8])
    context = {
        "counts": counts,
        "leadership_figures": [
            (group, f"{organisations_url}?{urlencode(group.filters)}")
            for group in overviews.headline_groups()
        ],
        "country_chart": country_chart,
        "focus_areas": focus_areas,
        "countries": by_country,
    }
    return render(request, "orgs/home.html", context)


def country_list(request):
    context = {"section": "countries", "countries": overviews.organisations_by_country()}
    return render(request, "orgs/country_list.html", context)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to."""
    return redirect(static("img/favicon.svg"), permanent=True)


def country_detail(request, code):
    if code.upper() not in countries:
        raise Http404("No such country code.")
    if code != code.upper():
        return redirect("orgs:country", code.upper(), permanent=True)
    name = countries.name(code)
    overview = overviews.country_overview(code)
    organisations_url = reverse("orgs:organisations")
    context = {
        **overview,
        "section": "countries",
        "code": code,
        "name": name,
        "focus_chart": BarChart(
            gettext("Focus areas of organisations in %(country)s") % {"country": name},
            [
                (
                    term.translated_name,
                    term.count,
                    f"{organisations_url}?country={code}&focus={term.slug}",
                )
                for term in overview["focus"]
            ],
            base=overview["organisation_count"],
            category_label=gettext("Focus area"),
            value_label=gettext("Organisations (share of the %(count)s in %(country)s)")
            % {"count": overview["organisation_count"], "country": name},
            note=SEVERAL_VALUES_NOTE,
        ),
        "list_url": f"{organisations_url}?country={code}",
        "networks_url": f"{reverse('orgs:networks')}?country={code}",
    }
    if not overview["organisation_count"]:
        context["beyond_one_country"] = {
            "count": overviews.organisations_beyond_one_country(),
            "url": f"{organisations_url}?"
            + urlencode([("level", level) for level in overviews.BEYOND_ONE_COUNTRY]),
        }
    return render(request, "orgs/country_detail.html", context)


def focus_list(request):
    context = {"section": "focus", "focus_areas": overviews.focus_areas_with_counts()}
    return render(request, "orgs/focus_list.html", context)


def focus_detail(request, slug):
    focus = get_object_or_404(overviews.focus_area(slug))
    overview = overviews.focus_overview(focus)
    organisations_url = reverse("orgs:organisations")
    context = {
        **overview,
        "section": "focus",
        "focus": focus,
        "country_chart": BarChart(
            gettext("Organisations working on %(focus)s, by country")
            % {"focus": lower_first(focus.translated_name)},
            [
                (name, count, f"{organisations_url}?focus={slug}&country={code}")
                for code, name, count in overview["by_country"]
            ],
            base=overview["organisation_count"],
            category_label=gettext("Country"),
            value_label=gettext("Organisations (share of the %(count)s working on %(focus)s)")
            % {
                "count": overview["organisation_count"],
                "focus": lower_first(focus.translated_name),
            },
            note=SEVERAL_VALUES_NOTE,
        ),
        "list_url": f"{organisations_url}?focus={slug}",
        "networks_url": f"{reverse('orgs:networks')}?focus={slug}",
    }
    if not overview["organisation_count"]:
        context["related_focus"] = overviews.related_focus_areas(focus)
    return render(request, "orgs/focus_detail.html", context)


def source_list(request):
    return render(
        request,
        "orgs/source_list.html",
        {"section": "sources", "sources": overviews.sources_with_counts()},
    )


def source_detail(request, key):
    source = get_object_or_404(overviews.source(key))
    context = {
        **overviews.source_overview(source),
        "section": "sources",
        "source": source,
        "list_url": f"{reverse('orgs:organisations')}?source={source.key}",
    }
    return render(request, "orgs/source_detail.html", context)


# Suggestions from the public (see `suggestions`): nothing is published until an editor approves.


def suggest_organisation(request):
    return suggestion_form(request, NewOrganisationForm, SuggestionKind.NEW)


def suggest_organisation_correction(request, slug):
    organisation = get_object_or_404(public_records.public_organisations(), slug=slug)
    return suggestion_form(request, CorrectionForm, SuggestionKind.CORRECTION, organisation)


def suggest_advocate_correction(request, slug):
    advocate = get_object_or_404(public_records.public_advocates(), slug=slug)
    return suggestion_form(request, AdvocateCorrectionForm, SuggestionKind.CORRECTION, advocate)


def suggestion_form(request, form_class, kind, record=None):
    form = form_class(request.POST or None)
    status, refusal = 200, ""
    if request.method == "POST":
        if form.is_bot():
            return redirect("orgs:suggestion_thanks")  # say nothing to a bot, keep nothing
        limit, seconds = settings.SUGGESTION_RATE_LIMIT
        if not suggestions.allow_from(request.META.get("REMOTE_ADDR", ""), limit, seconds):
            status = 429
            refusal = gettext(
                "You have sent many suggestions in a short time. Please try again later."
            )
        elif form.is_valid():
            suggestion = form.save(commit=False)
            suggestion.kind = kind
            if record is not None:
                setattr(suggestion, record._meta.model_name, record)
            suggestion._change_reason = "Sent through the public suggestion form"
            suggestion.save()
            form.save_m2m()
            return redirect("orgs:suggestion_thanks")
        else:
            status = 400
    context = {"form": form, "record": record, "refusal": refusal, "kind": kind}
    return render(request, "orgs/suggestion_form.html", context, status=status)


def suggestion_thanks(request):
    return render(request, "orgs/suggestion_thanks.html")


def privacy(request):
    """What is public, what is private, where it comes from, and a person's rights over it."""
    return render(request, "orgs/privacy.html")
