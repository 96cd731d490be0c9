"""Slugs made from names in any script: letters are transliterated, not dropped.

Django's `slugify` drops letters it cannot decompose (Hillerød would become "hillerd");
Unidecode transliterates them first ("hillerod", "sanliurfa", "aysegul-sayin").
"""

from django.utils.text import slugify
from unidecode import unidecode


def slug_for(text: str) -> str:
    return slugify(unidecode(text or ""))
