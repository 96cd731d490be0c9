"""An organisation's leadership: the summary of what the reports claim about it."""

from orgs.models import Leadership, LeadershipEvidence, Organisation

EVIDENCE_STRENGTH = list(LeadershipEvidence.values)  # strongest first


def summarise_leadership(claims) -> tuple[str, str]:
    """(leadership, evidence) of the strongest claim; among equals, the earliest report's.

    Self-description in a survey outweighs a report naming it so, which outweighs an editor's
    reading of a report. No claim: unknown.
    """
    claims = sorted(
        claims,
        key=lambda claim: (
            EVIDENCE_STRENGTH.index(claim.evidence),
            claim.source.year,
            claim.source.key,
            claim.locator,
        ),
    )
    if not claims:
        return Leadership.UNKNOWN, LeadershipEvidence.NONE
    return claims[0].leadership, claims[0].evidence


def refresh_leadership(organisation: Organisation):
    claims = organisation.leadership_claims.select_related("source")
    leadership, evidence = summarise_leadership(list(claims))
    if (organisation.leadership, organisation.leadership_evidence) != (leadership, evidence):
        organisation.leadership, organisation.leadership_evidence = leadership, evidence
        organisation.save(update_fields=["leadership", "leadership_evidence", "updated_at"])
