"""Surveys behind the reports: their questions, the published responses, and the figures.

The directory holds only what a report published (the annex rows, the profiles, the
dilemmas); `Survey.respondents_reported` says how many answered in all, so every number shown
can say which sample it describes.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from orgs.choices import LegalForm
from orgs.locators import InReport
from orgs.models import (
    Advocate,
    FocusArea,
    NaturallyKeyed,
    Network,
    NetworkType,
    Organisation,
    Source,
    TargetGroup,
    WorkLevel,
)


class Survey(NaturallyKeyed):
    slug = models.SlugField(max_length=100, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    population = models.TextField(help_text="Who was asked.")
    respondents_reported = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many answered, as the report states."
    )
    description = models.TextField(blank=True)
    # How to speak of what the directory holds beside what the report counted: "The directory
    # holds 125 annex rows of the 234 survey responses."
    response_noun = models.CharField(max_length=60, default="published response")
    response_noun_plural = models.CharField(max_length=60, default="published responses")
    respondents_noun = models.CharField(
        max_length=100, default="respondents", help_text="Whom `respondents_reported` counts."
    )

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["year", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", args=[self.slug])

    def responses_held(self, count: int) -> str:
        """ "125 annex rows", in the page's language when the nouns are the reports' own."""
        return f"{count} {self.held_noun(count)}"

    def held_noun(self, count: int) -> str:
        return ngettext(self.response_noun, self.response_noun_plural, count)

    @property
    def respondents(self) -> str:
        """Whom `respondents_reported` counts, in the page's language."""
        return gettext(self.respondents_noun)


# How the reports' surveys speak of what the directory holds and of whom they counted (the
# fixtures' nouns), listed here so that they are translated with the rest of the interface.
# A noun an editor writes in admin shows as written.
SURVEY_NOUNS = (
    ngettext_lazy("published response", "published responses"),
    ngettext_lazy("annex row", "annex rows"),
    ngettext_lazy("published profile", "published profiles"),
    ngettext_lazy("published dilemma", "published dilemmas"),
    _("respondents"),
    _("survey responses"),
    _("networks surveyed"),
    _("participants"),
    _("UNHCR offices in the mapping"),
)


class Chart(models.TextChoices):
    """How a question's answers are counted for its chart."""

    NONE = "", "Not charted"
    WHOLE = "whole", "One category per answer"
    LIST = "list", "A list: split on commas and semicolons"
    CAPITALISED_LIST = "capitalised-list", "A list: split on semicolons and before capitals"


class Vocabulary(models.TextChoices):
    """The directory's categories a question's answers map to, when they map to one."""

    NONE = "", "None: chart the answers as given"
    FOCUS_AREAS = "focus-areas", "Focus areas"
    TARGET_GROUPS = "target-groups", "Target groups"
    LEVELS = "levels", "Levels of work"
    NETWORK_TYPES = "network-types", "Network types"
    FORMS = "forms", "Forms of organisation"


class Listing(models.TextChoices):
    """Where a question's answers appear beside each response on the survey page."""

    NONE = "", "Not listed"
    SHORT = "short", "A short answer in a column"
    LONG = "long", "A long answer to read under the response"
    TITLE = "title", "The heading of each response"


class Question(NaturallyKeyed):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_private = models.BooleanField(
        default=False,
        help_text="Answers hold personal data: they are kept as private answers, never shown.",
    )
    chart = models.CharField(max_length=20, choices=Chart, default=Chart.NONE, blank=True)
    listing = models.CharField(max_length=10, choices=Listing, default=Listing.NONE, blank=True)
    vocabulary = models.CharField(
        max_length=20,
        choices=Vocabulary,
        default=Vocabulary.NONE,
        blank=True,
        help_text="Chart the answers by these categories (each answer's terms) instead.",
    )

    natural_key_fields = ("survey__slug", "key")

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_question_key"),
            models.CheckConstraint(
                condition=Q(is_private=False) | (Q(chart="") & Q(listing="")),
                name="private_question_is_neither_charted_nor_listed",
            ),
        ]

    def __str__(self):
        return self.text


class Response(InReport, NaturallyKeyed):
    """One published answer sheet: an annex row, a network profile, a policy dilemma."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    key = models.SlugField(max_length=100)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    advocate = models.ForeignKey(
        Advocate, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    locator = models.CharField(max_length=300, help_text="Where in the report the response is.")

    natural_key_fields = ("survey__slug", "key")

    class Meta:
        ordering = ["survey", "key"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_response_key"),
        ]

    def __str__(self):
        return f"{self.survey}: {self.key}"

    @property
    def source(self):
        return self.survey.source


class AnswerBase(NaturallyKeyed):
    text = models.TextField()

    natural_key_fields = ("response__survey__slug", "response__key", "question__key")

    class Meta:
        abstract = True
        ordering = ["response", "question__position"]

    def __str__(self):
        return f"{self.question}: {self.text[:60]}"


class Answer(AnswerBase):
    """A response's answer to a public question.

    `terms` are the slugs of the question's vocabulary that the answer maps to (an editorial
    reading of the free text, kept beside it), so that charts count the directory's categories.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    terms = models.JSONField(
        default=list, blank=True, help_text="Slugs of the question's vocabulary it maps to."
    )

    def clean(self):
        """Terms are slugs of the question's vocabulary, so that charts can name them."""
        super().clean()
        if not self.terms:
            return
        if not isinstance(self.terms, list) or not all(isinstance(t, str) for t in self.terms):
            raise ValidationError({"terms": 'Give a list of slugs, such as ["health"].'})
        if not self.question.vocabulary:
            raise ValidationError({"terms": "This question is not charted by a vocabulary."})
        known = vocabulary_names(self.question.vocabulary)
        unknown = [term for term in self.terms if term not in known]
        if unknown:
            raise ValidationError(
                {"terms": f"Not in {self.question.get_vocabulary_display()}: {', '.join(unknown)}"}
            )

    class Meta(AnswerBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_answer"),
        ]


class PrivateAnswer(AnswerBase):
    """An answer to a private question (a person's address): kept apart, for editors only."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="private_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="private_answers")

    class Meta(AnswerBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_private_answer"),
        ]


class PublishedFigure(InReport, NaturallyKeyed):
    """A number a report states about all of a survey's respondents, with its words."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField(max_length=100)
    figure = models.CharField(max_length=60, blank=True, help_text="The report's figure, if any.")
    label = models.CharField(max_length=300)
    count = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    share = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, help_text="Per cent."
    )
    approximate = models.BooleanField(default=False)
    quote = models.TextField()
    locator = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    natural_key_fields = ("survey__slug", "key")

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_figure_key"),
            models.CheckConstraint(
                condition=Q(count__isnull=False) | Q(share__isnull=False),
                name="figure_has_a_number",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="figure_share_is_a_percentage",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def source(self):
        return self.survey.source


# The directory's own vocabularies a question's answers may be charted by.
VOCABULARY_MODELS = {
    Vocabulary.FOCUS_AREAS: FocusArea,
    Vocabulary.TARGET_GROUPS: TargetGroup,
    Vocabulary.LEVELS: WorkLevel,
    Vocabulary.NETWORK_TYPES: NetworkType,
}
# Vocabularies that are fixed choices of a record's field, not editable terms.
VOCABULARY_CHOICES = {Vocabulary.FORMS: LegalForm}


def vocabulary_names(vocabulary: str) -> dict[str, str]:
    """Slug -> name of a vocabulary's terms (a query, unless the vocabulary is fixed choices)."""
    if vocabulary in VOCABULARY_CHOICES:
        return {choice.value: str(choice.label) for choice in VOCABULARY_CHOICES[vocabulary]}
    return dict(VOCABULARY_MODELS[vocabulary].objects.values_list("slug", "name"))
