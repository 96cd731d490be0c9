"""The privacy notice: a page of text, with no record behind it."""

from django.shortcuts import render


def privacy(request):
    """What is public, what is private, where it comes from, and a person's rights over it."""
    return render(request, "orgs/privacy.html")
