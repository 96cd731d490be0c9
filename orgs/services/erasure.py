"""A person's rights over what the directory holds about them: a copy of it, and its erasure.

`personal_data` gathers everything about an advocate (record, names, private address,
citations, affiliations, memberships, survey answers, suggestions, the notices sent to them and
their answers, history) as JSON-ready data.

`erase` removes the person: the advocate and every row about them, the answers naming them and
their private answers, suggestions about them, and every history entry and admin log line that
holds their data. The organisations they worked for stay. What is left is an `Erasure` note:
when, by whom and how many rows of each kind went, without the person's name; and hashes of
the import keys the person had, so that a later import of the reports does not bring the
person back (`services.import_fixtures` skips them). Atomic: all of it, or nothing.
"""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from orgs import caching, search
from orgs.models import (
    Advocate,
    AdvocateAlias,
    AdvocateCitation,
    Affiliation,
    AffiliationCitation,
    Erasure,
    ImportStamp,
    Membership,
    MembershipCitation,
    Organisation,
    Suggestion,
)
from orgs.services.answers import answered_by
from orgs.services.fixtures import erased_key
from orgs.services.open_data import building
from surveys.models import Answer, PrivateAnswer, Response


def personal_data(advocate: Advocate) -> dict:
    """Everything the directory holds about the person, editors' notes and history included."""
    address = getattr(advocate, "personal_address", None)
    responses = Response.objects.filter(advocate=advocate).select_related("survey")
    data = {
        "advocate": {
            "name": advocate.name,
            "slug": advocate.slug,
            "roles": advocate.roles,
            "note": advocate.note,
            "published": advocate.is_published,
            "checked_on": advocate.checked_on,
            "countries": [country.name for country in advocate.countries.all()],
            "cities": [city.name for city in advocate.cities.all()],
            "levels": [term.name for term in advocate.levels.all()],
            "focus_areas": [term.name for term in advocate.focus_areas.all()],
            "target_groups": [term.name for term in advocate.target_groups.all()],
            "location_raw": advocate.location_raw,
            "created_at": advocate.created_at,
            "updated_at": advocate.updated_at,
        },
        "other_names": [alias.name for alias in advocate.aliases.all()],
        "personal_address": (
            {"email": address.email, "source": str(address.source), "where": address.locator}
            if address
            else None
        ),
        "cited_in": [cited(citation) for citation in advocate.citations.all()],
        "organisations": [
            {
                "organisation": affiliation.organisation.name,
                "role": affiliation.role,
                "current": affiliation.is_current,
                "cited_in": [cited(citation) for citation in affiliation.citations.all()],
            }
            for affiliation in advocate.affiliations.select_related("organisation")
        ],
        "networks": [
            {"network": membership.network.name, "role": membership.get_role_display()}
            for membership in advocate.memberships.select_related("network")
        ],
        "survey_answers": [
            {
                "survey": response.survey.title,
                "where": response.locator,
                "answers": {a.question.key: a.text for a in response.answers.all()},
                "private_answers": {a.question.key: a.text for a in response.private_answers.all()},
            }
            for response in responses.prefetch_related(
                "answers__question", "private_answers__question"
            )
        ],
        "suggestions_about_them": [
            {"sent": s.created_at, "message": s.message, "status": s.get_status_display()}
            for s in advocate.suggestions.all()
        ],
        "notices_sent_to_them": [
            {"sent": i.created_at, "link_expires": i.expires_at, "link_used": i.used_at}
            for i in advocate.invitations.all()
        ],
        "their_answers": [
            {
                "what": answer.get_kind_display(),
                "when": answer.at,
                "for_organisation": answer.organisation.name if answer.organisation else None,
                "detail": answer.detail,
            }
            for answer in advocate.answers.select_related("organisation")
        ],
        "suggestions_they_sent": [
            {"sent": s.created_at, "changes": s.changes, "status": s.get_status_display()}
            for s in Suggestion.objects.filter(invitation__advocate=advocate)
        ],
        "history": [
            {
                "when": entry.history_date,
                "change": entry.get_history_type_display(),
                "by": str(entry.history_user or ""),
                "reason": entry.history_change_reason or "",
                "name": entry.name,
                "roles": entry.roles,
            }
            for entry in advocate.history.select_related("history_user")
        ],
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def cited(citation) -> dict:
    return {"source": str(citation.source), "where": citation.locator, "quote": citation.quote}


def erase(advocate: Advocate, by=None) -> Erasure:
    """Removes the person and everything about them (see the module docstring); atomic."""
    with transaction.atomic():
        pk = advocate.pk
        affiliations = list(Affiliation.history.filter(advocate_id=pk).values_list("id", flat=True))
        memberships = list(Membership.history.filter(advocate_id=pk).values_list("id", flat=True))
        responses = Response.objects.filter(advocate=advocate)
        names_ever = every_name_of(advocate)  # read before their history goes
        invitations = list(advocate.invitations.values_list("id", flat=True))
        naming = Q()
        for name in names_ever:
            naming |= Q(text__icontains=name)
        removed = {
            "answers naming them": Answer.objects.filter(response__in=responses)
            .filter(naming)
            .delete()[0],
            "private answers": PrivateAnswer.objects.filter(response__in=responses).delete()[0],
            "suggestions about them": Suggestion.objects.filter(advocate=advocate).delete()[0],
            # What they sent through their personal link about an organisation they work for.
            "suggestions they sent": (
                Suggestion.objects.filter(invitation__in=invitations).delete()[0]
            ),
        }
        removed["survey responses detached"] = responses.update(advocate=None)
        caching.changed()  # `update` sends no signal
        transaction.on_commit(building.withdraw)  # the open data built before names them
        stamps = ImportStamp.objects.filter(stamp_naming(advocate))
        hashes = [erased_key(stamp.model, stamp.key) for stamp in stamps]
        removed["import stamps"] = stamps.delete()[0]
        counts = advocate.delete()[1]
        for label, count in counts.items():
            removed[label.split(".")[-1]] = count
        # The words of their names that search knew from them alone (PostgreSQL).
        removed["search words of their names"] = search.forget_words(Advocate, names_ever)
        removed["history entries"] = sum(
            history.delete()[0]
            for history in (
                Advocate.history.filter(id=pk),
                AdvocateAlias.history.filter(advocate_id=pk),
                AdvocateCitation.history.filter(advocate_id=pk),
                Affiliation.history.filter(advocate_id=pk),
                AffiliationCitation.history.filter(affiliation_id__in=affiliations),
                Membership.history.filter(advocate_id=pk),
                MembershipCitation.history.filter(membership_id__in=memberships),
                Suggestion.history.filter(advocate_id=pk),
                Suggestion.history.filter(invitation_id__in=invitations),
            )
        )
        # Their answers about organisations they work for are in those organisations' history
        # under the name they had then (`answers.answered_by`); the entries stay, the name goes.
        removed["history reasons naming them"] = forget_name_in_history(names_ever)
        removed["admin log lines"] = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Advocate), object_id=str(pk)
        ).delete()[0]
        return Erasure.objects.create(
            record=f"advocate #{pk}",
            erased_by=by if by is not None and by.pk else None,
            removed={label: count for label, count in removed.items() if count},
            import_keys=hashes,
        )


def every_name_of(advocate: Advocate) -> list[str]:
    """Every name the person had: their name now and before (renamed by an editor or by
    themselves through their link), and their aliases, those of merged duplicates included."""
    pk = advocate.pk
    names = {advocate.name}
    names.update(Advocate.history.filter(id=pk).values_list("name", flat=True))
    names.update(advocate.aliases.values_list("name", flat=True))
    names.update(AdvocateAlias.history.filter(advocate_id=pk).values_list("name", flat=True))
    return sorted(name for name in names if name)


def forget_name_in_history(names: list[str]) -> int:
    """Organisations' history entries written for the person, under any name they had, keep
    what changed, not who."""
    erased = "a person since erased (the listed advocate, through their personal link)"
    # Longest first: "Jalali (the listed…" is also the end of "Reshad Jalali (the listed…".
    phrases = [answered_by(Advocate(name=name)) for name in sorted(names, key=len, reverse=True)]
    if not phrases:
        return 0
    naming = Q()
    for phrase in phrases:
        naming |= Q(history_change_reason__contains=phrase)
    count = 0
    for entry in Organisation.history.filter(naming):
        for phrase in phrases:
            entry.history_change_reason = entry.history_change_reason.replace(phrase, erased)
        entry.save(update_fields=["history_change_reason"])
        count += 1
    return count


def stamp_naming(advocate: Advocate) -> Q:
    """Import stamps of the person's rows: their keys start with (or contain) the slug."""
    slug = json.dumps(advocate.slug)
    return Q(model__startswith="orgs.") & (
        Q(key=f"[{slug}]") | Q(key__startswith=f"[{slug},") | Q(key__contains=f", {slug}")
    )
