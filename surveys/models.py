"""Surveys behind the reports: their questions, the published responses, and the figures.

The directory holds only what a report published (the annex rows, the profiles, the
dilemmas); `Survey.respondents_reported` says how many answered in all, so every number shown
can say which sample it describes.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from orgs.models import Advocate, NaturalKeyManager, Network, Organisation, Source


class Survey(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    population = models.TextField(help_text="Who was asked.")
    respondents_reported = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many answered, as the report states."
    )
    description = models.TextField(blank=True)

    objects = NaturalKeyManager()
    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["year", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["orgs.source"]


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_private = models.BooleanField(
        default=False, help_text="Answers hold personal data and are never shown publicly."
    )

    objects = NaturalKeyManager()
    natural_key_fields = ("survey__slug", "key")

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_question_key"),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.survey.slug, self.key)

    natural_key.dependencies = ["surveys.survey"]


class Response(models.Model):
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

    objects = NaturalKeyManager()
    natural_key_fields = ("survey__slug", "key")

    class Meta:
        ordering = ["survey", "key"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="unique_response_key"),
        ]

    def __str__(self):
        return f"{self.survey}: {self.key}"

    def natural_key(self):
        return (self.survey.slug, self.key)

    natural_key.dependencies = [
        "surveys.survey",
        "orgs.organisation",
        "orgs.advocate",
        "orgs.network",
    ]

    @property
    def source(self):
        return self.survey.source


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()

    objects = NaturalKeyManager()
    natural_key_fields = ("response__survey__slug", "response__key", "question__key")

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_answer"),
        ]

    def __str__(self):
        return f"{self.question}: {self.text[:60]}"

    def natural_key(self):
        return (self.response.survey.slug, self.response.key, self.question.key)

    natural_key.dependencies = ["surveys.response", "surveys.question"]


class PublishedFigure(models.Model):
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

    objects = NaturalKeyManager()
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

    def natural_key(self):
        return (self.survey.slug, self.key)

    natural_key.dependencies = ["surveys.survey"]

    @property
    def source(self):
        return self.survey.source
