"""The public's suggestion forms: a new organisation, or a correction of an organisation or
an advocate.

A suggestion is kept by `services.suggestions.receive`, pending an editor's review: nothing of
it is published until an editor approves it. A bot that fills in the honeypot is thanked and
nothing is kept; a sender over the rate limit (SUGGESTION_RATE_LIMIT kept suggestions per
client address) is asked to wait.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from directory.clients import client_address
from orgs.models import SuggestionKind
from orgs.pages.forms import AdvocateCorrectionForm, CorrectionForm, NewOrganisationForm
from orgs.selectors import public_records
from orgs.services import suggestions


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
            # Said nothing, kept nothing and counted nothing: a bot never learns it was seen.
            return redirect("orgs:suggestion_thanks")
        limit, seconds = settings.SUGGESTION_RATE_LIMIT
        address = client_address(request)
        if not suggestions.allow_from(address, limit):
            status = 429
            refusal = gettext(
                "You have sent many suggestions in a short time. Please try again later."
            )
        elif form.is_valid():
            suggestions.receive(form.save(commit=False), kind, record, form.terms())
            suggestions.count_from(address, seconds)
            return redirect("orgs:suggestion_thanks")
        else:
            status = 400
    context = {"form": form, "record": record, "refusal": refusal, "kind": kind}
    return render(request, "orgs/suggestion_form.html", context, status=status)


def suggestion_thanks(request):
    return render(request, "orgs/suggestion_thanks.html")
