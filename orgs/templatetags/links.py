"""`{{ url|safe_url }}`: the address if it is http(s), else "", for links built from data."""

from django import template

from orgs.links import is_web_url

register = template.Library()


@register.filter
def safe_url(value) -> str:
    return str(value).strip() if value and is_web_url(value) else ""
