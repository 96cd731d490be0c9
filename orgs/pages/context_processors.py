"""What the directory's own templates need on every page."""

from orgs.selectors.search import MAX_LENGTH


def search_box(request) -> dict:
    """The search boxes (header, home) take as many characters as a search does."""
    return {"search_max_length": MAX_LENGTH}
