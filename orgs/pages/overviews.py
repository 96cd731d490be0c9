"""The overview pages: home, countries, focus areas and reports, each with its figures.

The figures come cached from `selectors.overviews`; each chart's bars link to the organisations
list with the filters that give the same number, so that a figure and its list always agree.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries

from orgs.pages.charts import BarChart
from orgs.pages.maps import directory_map
from orgs.selectors import overviews
from orgs.wording import lower_first


def home(request):
    by_country = overviews.organisations_by_country()
    counts = overviews.directory_counts()
    organisations_url = reverse("orgs:organisations")
    context = {
        "counts": counts,
        "leadership_figures": [
            (group, f"{organisations_url}?{urlencode(group.filters)}")
            for group in overviews.headline_groups()
        ],
        "country_chart": countries_chart(by_country, counts["organisations"]),
        "focus_areas": list(overviews.focus_areas_with_counts()[:8]),
        "countries": by_country,
        "map": directory_map(by_country, overviews.organisations_by_city()),
    }
    return render(request, "orgs/home.html", context)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to."""
    return redirect(static("img/favicon.svg"), permanent=True)


def country_list(request):
    context = {"section": "countries", "countries": overviews.organisations_by_country()}
    return render(request, "orgs/country_list.html", context)


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
        "focus_chart": focus_chart(code, name, overview),
        "list_url": f"{organisations_url}?country={code}",
        "networks_url": f"{reverse('orgs:networks')}?country={code}",
    }
    if overview["organisation_count"]:
        country = [(code, name, overview["organisation_count"])]
        context["map"] = directory_map(country, overviews.organisations_by_city(), code)
    else:
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
        "country_chart": countries_of_focus_chart(focus, overview),
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


# The charts: each bar links to the organisations list that gives its number.

SEVERAL_VALUES_NOTE = gettext_lazy(
    "An organisation can work in several countries and on several focus areas, so shares "
    "can add up to more than 100%."
)
HOME_COUNTRIES = 15  # bars of the home page's chart, the countries with the most first


def countries_chart(by_country: list, total: int) -> BarChart:
    """The home page's organisations by country, of all `total` organisations."""
    sample = ""
    if len(by_country) > HOME_COUNTRIES:
        sample = gettext("The 15 of %(count)s countries with the most organisations") % {
            "count": len(by_country)
        }
    return BarChart(
        gettext("Organisations by country"),
        [
            (name, count, reverse("orgs:country", args=[code]))
            for code, name, count in by_country[:HOME_COUNTRIES]
        ],
        sample=sample,
        base=total,
        category_label=gettext("Country"),
        value_label=gettext("Organisations (share of all %(count)s)") % {"count": total},
        note=SEVERAL_VALUES_NOTE,
    )


def focus_chart(code: str, name: str, overview: dict) -> BarChart:
    """The focus areas of a country's organisations."""
    organisations_url = reverse("orgs:organisations")
    return BarChart(
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
    )


def countries_of_focus_chart(focus, overview: dict) -> BarChart:
    """The countries of the organisations working on a focus area."""
    organisations_url = reverse("orgs:organisations")
    focus_name = lower_first(focus.translated_name)
    return BarChart(
        gettext("Organisations working on %(focus)s, by country") % {"focus": focus_name},
        [
            (name, count, f"{organisations_url}?focus={focus.slug}&country={code}")
            for code, name, count in overview["by_country"]
        ],
        base=overview["organisation_count"],
        category_label=gettext("Country"),
        value_label=gettext("Organisations (share of the %(count)s working on %(focus)s)")
        % {"count": overview["organisation_count"], "focus": focus_name},
        note=SEVERAL_VALUES_NOTE,
    )
