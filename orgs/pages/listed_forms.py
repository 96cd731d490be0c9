"""The forms of a listed person's own page: correcting their record, or an organisation they
work for, choosing whether people may write to them, and asking to be removed.

The correction forms take the record's fields (and their checks) from the models; they are
plain forms, not model forms, so that the record is changed only by the service, which
compares what was sent with what is held (`services.corrections`)."""

from django import forms
from django.core.validators import URLValidator
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from orgs.editing.fields import LinesField
from orgs.links import validate_web_addresses, validate_web_url
from orgs.models import Advocate, City, Country, FocusArea, Network, Organisation, TargetGroup


class TermsField(forms.ModelMultipleChoiceField):
    """Places and terms named in the page's language."""

    def label_from_instance(self, obj):
        return obj.translated_name


class CitiesField(TermsField):
    def label_from_instance(self, obj):
        return f"{obj.translated_name} ({obj.country.code})"


def terms_field(model, label):
    return TermsField(
        model.objects.all(), required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


def message_field(label=None):
    return forms.CharField(
        label=label or _("A message for the editors"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything else that is wrong or missing. Only the editors read it."),
    )


class CorrectionForm(forms.Form):
    """What the listed may correct of one kind of record (`services.corrections.CORRECTABLE`)."""

    model: type = Advocate
    model_fields: list[str] = []
    labels: dict = {}

    def __init__(self, *args, record, **kwargs):
        initial = {name: initial_value(record, name) for name in self.correctable}
        super().__init__(*args, initial=initial, **kwargs)
        fields = fields_for_model(
            self.model,
            fields=self.model_fields,
            labels=self.labels,
            help_texts=dict.fromkeys(self.model_fields, ""),  # the editors' notes, in English
        )
        # Declared fields (places, terms, websites) come after the model's own, in form order.
        self.fields = {**fields, **self.fields}
        self.order_fields([*self.correctable, "message"])

    @property
    def correctable(self) -> list[str]:
        return [*self.model_fields, *[n for n in self.declared_fields if n != "message"]]

    def proposed(self) -> dict:
        """The corrected values by field name, for `services.corrections.correct`."""
        return {name: self.cleaned_data[name] for name in self.correctable}


def initial_value(record, name):
    value = getattr(record, name)
    return list(value.all()) if hasattr(value, "all") else value


class AdvocateCorrectionForm(CorrectionForm):
    model = Advocate
    model_fields = ["name", "roles"]
    labels = {"name": _("Your name, as you want it shown"), "roles": _("What you do")}
    countries = TermsField(
        Country.objects.all(),
        required=False,
        label=_("Countries you work in"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    cities = CitiesField(
        City.objects.order_by("name"),
        required=False,
        label=_("Cities"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    focus_areas = terms_field(FocusArea, _("What you work on"))
    target_groups = terms_field(TargetGroup, _("Whom you work with"))
    message = message_field()


class OrganisationCorrectionForm(CorrectionForm):
    model = Organisation
    model_fields = ["description", "website", "email"]
    labels = {
        "description": _("What it does"),
        "website": _("Website"),
        "email": _("Public email"),
    }
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    cities = CitiesField(
        City.objects.order_by("name"),
        required=False,
        label=_("Cities"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    focus_areas = terms_field(FocusArea, _("What it works on"))
    target_groups = terms_field(TargetGroup, _("Whom it works with"))
    message = message_field()

    def __init__(self, *args, record, **kwargs):
        # One form per organisation on the page: their fields need ids of their own.
        super().__init__(*args, record=record, auto_id=f"id_organisation{record.pk}_%s", **kwargs)
        self.initial["organisation"] = record.pk
        # The record's check, not the form's: web addresses over http or https only.
        website = self.fields["website"]
        website.validators = [v for v in website.validators if not isinstance(v, URLValidator)]
        website.validators.append(validate_web_url)
        website.error_messages["invalid"] = validate_web_url.message

    @property
    def correctable(self) -> list[str]:
        return [name for name in super().correctable if name != "organisation"]


class NetworkCorrectionForm(CorrectionForm):
    model = Network
    model_fields = ["description", "email"]
    labels = {"description": _("What the network does"), "email": _("Public email")}
    websites = LinesField(
        required=False,
        label=_("Websites"),
        help_text=_("One address per line."),
        validators=[validate_web_addresses],
    )
    message = message_field()


CORRECTION_FORMS = {
    Advocate: AdvocateCorrectionForm,
    Organisation: OrganisationCorrectionForm,
    Network: NetworkCorrectionForm,
}


class ConsentForm(forms.Form):
    accepts = forms.BooleanField(
        required=False,
        label=_("People may write to me through the directory"),
        help_text=_(
            "Their message reaches you; your address stays hidden from them until you answer. "
            "You can stop it here at any time."
        ),
    )


class RemovalForm(forms.Form):
    sure = forms.BooleanField(
        label=_("I ask to be removed from the directory"),
        error_messages={"required": _("Tick the box to ask for removal.")},
    )
    message = message_field(_("Anything the editors should know (optional)"))
