"""The public's forms: suggesting an organisation or a correction, writing to a listed person
who accepts messages, and the search box."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from orgs.models import Leadership, LeadershipBasis, Suggestion
from orgs.selectors.search import SearchField


class SuggestionForm(forms.ModelForm):
    """What a visitor sends; `website_url` is a honeypot that people never see or fill in."""

    website_url = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Suggestion
        fields = [
            "name", "country", "city", "levels", "focus_areas", "target_groups", "leadership",
            "leadership_basis", "website", "public_email", "message", "is_own", "sender_name",
            "sender_email",
        ]  # fmt: skip
        widgets = {
            "levels": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }
        labels = {
            "name": _("Organisation's name"),
            "country": _("Country"),
            "city": _("City"),
            "website": _("Website"),
            "public_email": _("Public email"),
            "message": _("Message"),
            "is_own": _("This is my organisation"),
            "sender_name": _("Your name"),
            "sender_email": _("Your email address"),
            "leadership": _("Who leads it"),
            "leadership_basis": _("How do you know who leads it?"),
            "levels": _("Where does it work?"),
            "focus_areas": _("What does it work on?"),
            "target_groups": _("Whom does it work with?"),
        }
        help_texts = {
            "sender_email": _("Only the editors see it, to ask you back. It is never published."),
            "public_email": _("The organisation's own public address, to show on its page."),
            "message": _("What it does, or what is wrong and what is right."),
            "is_own": _("“This is my organisation.”"),
        }

    def is_bot(self) -> bool:
        return bool(self.data.get("website_url"))

    def terms(self) -> dict:
        """The chosen terms (levels, focus areas, target groups) this form asks for, by field
        name: what `save_m2m` would write, for the service that keeps the suggestion."""
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        }


class NewOrganisationForm(SuggestionForm):
    """Asks for what the directory filters by, in the directory's own vocabularies."""

    class Meta(SuggestionForm.Meta):
        labels = {**SuggestionForm.Meta.labels, "message": _("What does it do?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "country"):
            self.fields[name].required = True
        self.fields["leadership"].choices = [
            ("", _("I don't know")),
            *[c for c in Leadership.choices if c[0] != "unknown"],
        ]
        self.fields["leadership_basis"].choices = [("", "-"), *LeadershipBasis.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("leadership") and not cleaned.get("leadership_basis"):
            self.add_error(
                "leadership_basis", _("Say how you know who leads it, or choose “I don't know”.")
            )
        return cleaned


class CorrectionForm(SuggestionForm):
    class Meta(SuggestionForm.Meta):
        fields = ["message", "website", "public_email", "is_own", "sender_name", "sender_email"]
        labels = {
            **SuggestionForm.Meta.labels,
            "message": _("What is wrong, and what is right?"),
            "website": _("Correct website (if it is wrong or missing)"),
            "public_email": _("Public email to show (if it is wrong or missing)"),
        }


class AdvocateCorrectionForm(SuggestionForm):
    class Meta(SuggestionForm.Meta):
        fields = ["message", "sender_name", "sender_email"]
        labels = {**SuggestionForm.Meta.labels, "message": _("What is wrong, and what is right?")}


class WriteToForm(forms.Form):
    """A message to a listed person, relayed by `services.relaying`, which also checks its
    length and links; `website_url` is a honeypot, as on the suggestion forms."""

    sender_name = forms.CharField(label=_("Your name"), max_length=100)
    sender_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_(
            "The person sees it, to answer you. Before your first message is passed on, the "
            "directory asks you to confirm it."
        ),
    )
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 8}))
    website_url = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "At most %(characters)s characters and %(links)s links."
        ) % {"characters": settings.MESSAGE_MAX_CHARS, "links": settings.MESSAGE_MAX_LINKS}

    def is_bot(self) -> bool:
        return bool(self.data.get("website_url"))


class SearchForm(forms.Form):
    """The results page's query: the lists' `q`, validated alike."""

    q = SearchField(label=_("Search for"))
