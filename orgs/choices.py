"""The fixed values records take: legal forms, leadership and its evidence, and the states of
suggestions. They are choices in code, not tables: migrations and the reports' fixtures spell
their values.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    ASSOCIATION = "association", _("Association")
    NETWORK = "network", _("Network")
    COMMUNITY = "community", _("Community")
    INITIATIVE = "initiative", _("Initiative")
    GROUP = "group", _("Group")
    SOCIAL_ENTERPRISE = "social-enterprise", _("Social enterprise")
    COUNCIL = "council-or-advisory-body", _("Council or advisory body")
    PUBLIC_AUTHORITY = "public-authority", _("Public authority")
    INTERNATIONAL = "international-organisation", _("International organisation")
    PROGRAMME = "programme", _("Programme")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Leadership(models.TextChoices):
    MIGRANT_LED = "migrant-led", _("Migrant-led")
    REFUGEE_LED = "refugee-led", _("Refugee-led")
    DIASPORA_LED = "diaspora-led", _("Diaspora-led")
    OTHER = "other", _("Other self-description")
    NOT_MIGRANT_LED = "not-migrant-led", _("Not migrant-led")
    UNKNOWN = "unknown", _("Unknown")


# The leadership values the directory is about: organisations their people lead.
LED_BY_MIGRANTS = (Leadership.MIGRANT_LED, Leadership.REFUGEE_LED, Leadership.DIASPORA_LED)


class LeadershipEvidence(models.TextChoices):
    """Kinds of evidence, strongest first: the order in which claims are summarised."""

    SELF_DESCRIBED = "self-described", _("Self-described in a survey")
    NAMED_BY_REPORT = "named-by-report", _("Named so by a report")
    EDITORIAL = "editorial", _("Editorial assessment from the report's text")
    REPORTED_BY_PUBLIC = "reported-by-public", _("Reported by the public, checked by an editor")
    NONE = "none", _("No evidence")


class Formalisation(models.TextChoices):
    FORMAL = "formal", _("Formal cooperation agreement")
    SOFT = "soft", _("Soft formal agreements and norms")
    MIXED = "mixed", _("Mix of formal and informal agreements")
    INFORMAL = "informal", _("Informal")
    UNKNOWN = "unknown", _("Unknown")


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")


class SuggestionKind(models.TextChoices):
    NEW = "new-organisation", "A new organisation"
    CORRECTION = "correction", "A correction"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an editor"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class LeadershipBasis(models.TextChoices):
    """How the person suggesting an organisation knows who leads it."""

    PART_OF_IT = "part-of-it", _("I am part of it or work with it")
    ITS_OWN_WORDS = "its-own-words", _("It says so itself (its website, leaflets, events)")
    KNOWS_ITS_PEOPLE = "knows-its-people", _("I know the people who lead it")
    HEARD = "heard", _("I have heard or read it elsewhere")


class AnswerKind(models.TextChoices):
    """What a listed person did about their record, or what became of the notice sent to them."""

    INVITED = "invited", "Sent the notice"
    CONFIRMED = "confirmed", "Confirmed the record"
    CORRECTED = "corrected", "Corrected the record"
    CONSENTED = "consented", "Consented to messages"
    WITHDREW = "withdrew", "Withdrew consent to messages"
    REMOVAL = "removal", "Asked to be removed"
    UNDELIVERABLE = "undeliverable", "The address is undeliverable"


class MailKind(models.TextChoices):
    INVITATION = "invitation", "A notice to a listed person"
    NEW_LINK = "new-link", "A new personal link"
    SENDER_CHECK = "sender-check", "A sender's confirmation of their address"
    RELAYED = "relayed", "A message relayed to a listed person"


class MailStatus(models.TextChoices):
    HELD = "held", "Held until the sender confirms their address"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    CANCELLED = "cancelled", "Cancelled"
