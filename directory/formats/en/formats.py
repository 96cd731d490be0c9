"""English dates and numbers as written in Britain ("3 March 2025"), as before the interface
spoke other languages (LANGUAGE_CODE was en-gb)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # "3 March 2025", the month in full as pages write it
