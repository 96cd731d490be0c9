"""Writing to a listed person who accepts messages: the form, the sender's confirmation of
their address, and the person's one-click "stop messages" link.

The form's page never holds the person's address, nor does any answer of the flow: the
message is kept by `services.relaying.write_to` and sent by the worker. A bot that fills in
the honeypot is answered as if its message were kept, and nothing is kept or counted. The
addresses a browser session confirmed are kept in the session, so that its next messages go
without asking again.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from directory.clients import client_address
from orgs.choices import MailStatus
from orgs.pages.forms import WriteToForm
from orgs.selectors import public_records, reaching
from orgs.services import relaying

CONFIRMED_SENDERS = "confirmed_senders"


def write_to_advocate(request, slug):
    advocate = get_object_or_404(
        reaching.with_consent(public_records.public_advocates(), "advocate"), slug=slug
    )
    return write_form(request, advocate)


def write_to_network(request, slug):
    network = get_object_or_404(
        reaching.with_consent(public_records.public_networks(), "network"), slug=slug
    )
    return write_form(request, network)


def write_form(request, listed):
    if not listed.accepts_messages:
        return render(request, "orgs/write_to.html", {"listed": listed}, status=403)
    form = WriteToForm(request.POST or None)
    status, refusal = 200, ""
    if request.method == "POST":
        if form.is_bot():
            return redirect("orgs:message_held")
        if form.is_valid():
            try:
                relayed = relaying.write_to(
                    listed,
                    sender_name=form.cleaned_data["sender_name"],
                    sender_email=form.cleaned_data["sender_email"],
                    body=form.cleaned_data["body"],
                    client=client_address(request),
                    confirmed_senders=request.session.get(CONFIRMED_SENDERS, []),
                )
            except relaying.Refused as refused:
                status, refusal = refused.status, refused.message
            else:
                held = relayed.status == MailStatus.HELD
                return redirect("orgs:message_held" if held else "orgs:message_sent")
        else:
            status = 400
    context = {"listed": listed, "form": form, "refusal": refusal}
    return render(request, "orgs/write_to.html", context, status=status)


def message_held(request):
    return render(request, "orgs/message_outcome.html", {"held": True})


def message_sent(request):
    return render(request, "orgs/message_outcome.html", {"held": False})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_sender(request, token):
    """GET says what the button does; POST confirms (mail scanners open links, never press)."""
    try:
        relayed = (
            relaying.confirm_sender(token)
            if request.method == "POST"
            else relaying.held_message(token)
        )
    except relaying.Refused as refused:
        context = {"refusal": refused.message}
        return render(request, "orgs/confirm_sender.html", context, status=refused.status)
    if request.method == "POST":
        remember_confirmed(request, relayed.reply_to)
        return render(request, "orgs/message_outcome.html", {"held": False})
    return render(request, "orgs/confirm_sender.html", {"listed": relayed.listed})


def remember_confirmed(request, address: str) -> None:
    confirmed = request.session.get(CONFIRMED_SENDERS, [])
    if address.lower() not in confirmed:
        request.session[CONFIRMED_SENDERS] = [*confirmed, address.lower()]


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # the signed token is the authority, and mail systems post without a CSRF token
def stop_messages(request, token):
    """A one-click POST (RFC 8058, or the page's button) withdraws the person's consent; GET
    shows the button."""
    try:
        listed = (
            relaying.stop_messages(token)
            if request.method == "POST"
            else relaying.listed_of_stop_token(token)
        )
    except relaying.Refused as refused:
        context = {"refusal": refused.message}
        return render(request, "orgs/stop_messages.html", context, status=refused.status)
    context = {"listed": listed, "stopped": request.method == "POST"}
    return render(request, "orgs/stop_messages.html", context)
