"""The listed person's own pages, reached through the personal link in their notice.

`listed/<token>/` explains the link and opens it with a POST (a GET never spends it: mail
scanners follow links). Opening stores in the session which record this visitor may act for,
with a new session key, and marks the link used. `listed/record/` then shows that record, and
the organisations the person works for, with the person's choices: confirm, correct, allow
messages or not, ask to be removed, sign out. The session names one record; anything else a
form names (another organisation's id) is refused. No page of the flow shows the person's own
address.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from directory.clients import client_address
from orgs.models import Advocate, Invitation, Network
from orgs.pages.listed_forms import CORRECTION_FORMS, ConsentForm, RemovalForm
from orgs.selectors import listed as listed_records
from orgs.services import answers, corrections, invitations

SESSION_KEY = "listed"


def private(response):
    """Pages with a personal link in their address: not indexed, and the link not passed on
    to other sites. Only to other sites: under "no-referrer" a browser posts the page's own
    forms with `Origin: null`, which Django's CSRF check refuses."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def open_link(request, token):
    try:
        if request.method == "POST":
            invitation = invitations.open_link(token)
        else:
            invitation = invitations.check_link(token)
    except invitations.LinkRefused as refusal:
        status = 410 if refusal.reason in ("expired", "used") else 404
        context = {"reason": refusal.reason, "token": token}
        return private(render(request, "orgs/listed/refused.html", context, status=status))
    if request.method != "POST":
        context = {"listed": invitation.listed, "expires_at": invitation.expires_at}
        return private(render(request, "orgs/listed/link.html", context))
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "record": invitation.listed._meta.model_name,
        "id": invitation.listed.pk,
        "invitation": invitation.pk,
    }
    request.session.set_expiry(settings.LISTED_SESSION_SECONDS)
    return redirect("orgs:listed_record")


@never_cache
@require_POST
def new_link(request, token):
    """Asks for a new link; the page says the same whatever happens (who is listed, or not,
    is nobody's business)."""
    invitations.ask_for_new_link(token, client_address(request))
    return private(render(request, "orgs/listed/new_link.html"))


def acting_for(request) -> tuple[Advocate | Network, Invitation | None] | None:
    """The record this visitor opened with their link, and the invitation; None if none."""
    opened = request.session.get(SESSION_KEY)
    if not isinstance(opened, dict):
        return None
    selector = {"advocate": listed_records.own_advocate, "network": listed_records.own_network}
    if opened.get("record") not in selector:
        return None
    listed = selector[opened["record"]](opened.get("id")).first()
    if listed is None:  # erased meanwhile
        return None
    invitation = Invitation.objects.filter(pk=opened.get("invitation")).first()
    return listed, invitation


@never_cache
def record_page(request):
    opened = acting_for(request)
    if opened is None:
        return private(render(request, "orgs/listed/signed_out.html", status=403))
    listed, invitation = opened
    organisations = (
        list(listed_records.organisations_of(listed)) if isinstance(listed, Advocate) else []
    )
    bound = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        organisation = None
        if "organisation" in request.POST:
            organisation = next(
                (o for o in organisations if str(o.pk) == request.POST["organisation"]), None
            )
            if organisation is None:
                return HttpResponseForbidden(
                    gettext("This page lets you answer for your own record only.")
                )
        done = act(request, action, listed, invitation, organisation, bound)
        if done is not None:
            return done
        status = 400
    context = {
        "listed": listed,
        "is_advocate": isinstance(listed, Advocate),
        "organisations": [
            (o, bound.get(o.pk) or CORRECTION_FORMS[type(o)](record=o)) for o in organisations
        ],
        "correction_form": bound.get("record") or CORRECTION_FORMS[type(listed)](record=listed),
        "consent_form": bound.get("consent")
        or ConsentForm(initial={"accepts": answers.accepts_messages(listed)}),
        "removal_form": bound.get("removal") or RemovalForm(),
    }
    return private(render(request, "orgs/listed/record.html", context, status=status))


def act(request, action, listed, invitation, organisation, bound):
    """Does what the visitor asked; a redirect when done, None when a form needs correcting
    (its bound form is left in `bound`, to show with its errors)."""
    if action == "confirm":
        answers.confirm(listed, invitation=invitation, organisation=organisation)
        messages.success(request, gettext("Thank you: the record is confirmed as it stands."))
    elif action == "correct":
        record = organisation or listed
        form = CORRECTION_FORMS[type(record)](request.POST, record=record)
        if not form.is_valid():
            bound[organisation.pk if organisation else "record"] = form
            return None
        try:
            outcome = corrections.correct(
                listed,
                record,
                form.proposed(),
                form.cleaned_data["message"],
                invitation=invitation,
            )
        except corrections.NothingToCorrect:
            form.add_error(None, gettext("Nothing was changed, and there is no message."))
            bound[organisation.pk if organisation else "record"] = form
            return None
        except ValidationError as refusal:  # the record's own checks, should the form's miss one
            form.add_error(None, refusal)
            bound[organisation.pk if organisation else "record"] = form
            return None
        if outcome.published:
            messages.success(request, gettext("Thank you: your changes are published."))
        if outcome.suggestion is not None:
            messages.success(
                request,
                gettext("Thank you: the editors will check your corrections before they appear."),
            )
    elif action == "consent":
        form = ConsentForm(request.POST)
        form.is_valid()  # a box unticked is a valid answer
        accepts = bool(form.cleaned_data.get("accepts"))
        answers.set_consent(listed, accepts, invitation=invitation)
        messages.success(
            request,
            gettext("Saved: people may write to you through the directory.")
            if accepts
            else gettext("Saved: nobody can write to you through the directory."),
        )
    elif action == "removal":
        form = RemovalForm(request.POST)
        if not form.is_valid():
            bound["removal"] = form
            return None
        corrections.ask_for_removal(listed, form.cleaned_data["message"], invitation=invitation)
        messages.success(
            request,
            gettext(
                "Your request has reached the editors. They will remove the record and "
                "everything the directory holds about it."
            ),
        )
    elif action == "sign-out":
        request.session.flush()
        return private(render(request, "orgs/listed/signed_out.html", {"signed_out": True}))
    else:
        return HttpResponseBadRequest(gettext("Choose one of the buttons on the page."))
    return redirect("orgs:listed_record")
