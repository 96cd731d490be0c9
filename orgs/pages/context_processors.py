"""What every page's template needs beyond its view's context: the language switcher and the
search boxes' limit."""

from django.conf import settings
from django.urls import reverse
from django.urls.base import translate_url
from django.utils.translation import get_language, get_language_info, override, to_locale

from orgs.selectors.search import MAX_LENGTH

# Link previews (Open Graph) name a language with a territory: the English pages write British
# English; Arabic has no one territory, and `ar_AR` is what Open Graph readers take for it.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "ar": "ar_AR"}


def search_box(request) -> dict:
    """The search boxes (header, home) take as many characters as a search does."""
    return {"search_max_length": MAX_LENGTH}


def languages(request) -> dict:
    """The language switcher: this page in each language, named in that language (and, for
    search engines and link previews, its absolute address and Open Graph locale).

    A page that no URL pattern matches (a 404) links to each language's home page instead.
    """
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            with override(code):
                url = reverse("home")
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),  # for search engines
                "open_graph_locale": OPEN_GRAPH_LOCALES.get(code, to_locale(code)),
                "current": code == current,
            }
        )
    return {"language_links": links}
