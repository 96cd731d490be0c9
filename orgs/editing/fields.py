"""Form fields that let editors edit lists and identifiers as text, not raw JSON."""

from django import forms


class LinesField(forms.CharField):
    """A list of strings, edited one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class IdentifiersField(forms.CharField):
    """Identifiers by org-id.guide prefix, edited as `PREFIX: identifier` lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{prefix}: {identifier}" for prefix, identifier in value.items())
        return value

    def to_python(self, value):
        identifiers = {}
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            prefix, separator, identifier = line.partition(":")
            if not separator or not prefix.strip() or not identifier.strip():
                raise forms.ValidationError(f"Write each identifier as PREFIX: id (got {line!r}).")
            identifiers[prefix.strip()] = identifier.strip()
        return identifiers
