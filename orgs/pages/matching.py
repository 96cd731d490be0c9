""" "Match my list": someone without OpenRefine uploads a sheet of organisations' names, sees
each row's best match in the directory with its score and the runners-up to choose from, and
downloads the same sheet with the directory's columns added.

Three steps, one address, no JavaScript: the upload; the matches, where the columns that hold
the names and the countries can be changed and matched again; the download. The sheet travels
between them in the page itself (`orgs.pages.sheets`): nothing of it is kept on the server.
Each row is matched by the reconciliation service's own `candidates_for`, so a fixed number of
queries per row; the download reads the chosen organisations at once.
"""

import re

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.pages import sheets
from orgs.selectors.matching import candidates_for
from orgs.selectors.public_records import public_organisations
from orgs.services.records_import.reading import FILE_TYPES

CHOICES = 4  # candidates offered for each row: the best and its runners-up
NONE = ""  # the choice "none of these"
# Column titles, reduced to letters, that usually hold the names and the countries.
NAME_TITLE = re.compile(r"name|organi[sz]ation|nom|organisme|einrichtung|verein|اسم|منظمة")
COUNTRY_TITLE = re.compile(r"country|countries|pays|land|staat|بلد|دولة")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Your list"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the page's language, with the limits as they are now.
        self.fields["file"].help_text = _(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx) whose first row names the "
            "columns, with one organisation a row: at most %(rows)s rows and %(size)s KB."
        ) % {"rows": sheets.MAX_ROWS, "size": sheets.MAX_BYTES // 1024}

    def clean_file(self):
        try:
            self.sheet = sheets.read_upload(self.cleaned_data["file"])
        except sheets.SheetError as error:
            raise forms.ValidationError(str(error)) from error
        return self.cleaned_data["file"]


class ColumnsForm(forms.Form):
    """Which of the sheet's columns hold the names and the countries."""

    sheet = forms.CharField(widget=forms.HiddenInput)
    name_column = forms.TypedChoiceField(label=gettext_lazy("Names are in the column"), coerce=int)
    country_column = forms.TypedChoiceField(
        label=gettext_lazy("Countries are in the column"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, sheet: sheets.Sheet, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(str(index), title) for index, title in enumerate(sheet.column_titles())]
        self.fields["name_column"].choices = columns
        self.fields["country_column"].choices = [("", _("None"))] + columns


def match_list(request):
    if request.method != "POST":
        return render(request, "orgs/match_list.html", {"upload": UploadForm()})
    if "sheet" not in request.POST:
        return uploaded(request)
    try:
        sheet = sheets.unpacked(request.POST["sheet"])
    except sheets.SheetError as error:
        context = {"upload": UploadForm(), "problem": str(error)}
        return render(request, "orgs/match_list.html", context, status=400)
    columns = ColumnsForm(request.POST, sheet=sheet)
    if not columns.is_valid():
        return render(request, "orgs/match_list.html", {"columns": columns}, status=400)
    name_column = columns.cleaned_data["name_column"]
    country_column = columns.cleaned_data["country_column"]
    if request.POST.get("action") == "download":
        return download(request, sheet)
    return matches_page(request, sheet, columns, name_column, country_column)


def uploaded(request):
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return render(request, "orgs/match_list.html", {"upload": upload}, status=400)
    sheet = upload.sheet
    name_column, country_column = guessed_columns(sheet.header)
    try:
        packed = sheet.packed()
    except sheets.SheetError as error:
        upload.add_error("file", str(error))
        return render(request, "orgs/match_list.html", {"upload": upload}, status=400)
    columns = ColumnsForm(
        sheet=sheet,
        initial={"sheet": packed, "name_column": name_column, "country_column": country_column},
    )
    return matches_page(request, sheet, columns, name_column, country_column)


def guessed_columns(header: list[str]) -> tuple[int, int | None]:
    """The columns whose titles say they hold names (else the first) and countries."""
    titles = [title.lower() for title in header]
    name = next((i for i, title in enumerate(titles) if NAME_TITLE.search(title)), 0)
    country = next(
        (i for i, title in enumerate(titles) if i != name and COUNTRY_TITLE.search(title)), None
    )
    return name, country


def matches_page(request, sheet, columns, name_column: int, country_column: int | None):
    rows = []
    for index, cells in enumerate(sheet.rows):
        name = cells[name_column]
        country = cells[country_column] if country_column is not None else ""
        candidates = candidates_for(name, country=country or None, limit=CHOICES)
        ids = [candidate.record.slug for candidate in candidates]
        chosen = request.POST.get(choice_field(index))
        if chosen not in ids and chosen != NONE:
            chosen = ids[0] if candidates and candidates[0].match else NONE
        rows.append(
            {
                "field": choice_field(index),
                "number": index + 2,  # the sheet's own row number, under the header
                "name": name,
                "country": country,
                "candidates": candidates,
                "chosen": chosen,
            }
        )
    context = {"columns": columns, "rows": rows, "sheet_name": sheet.name}
    return render(request, "orgs/match_list.html", context)


def choice_field(index: int) -> str:
    return f"choice-{index}"


def download(request, sheet: sheets.Sheet) -> HttpResponse:
    """The sheet with the chosen organisations' id, page, leadership, focus areas and
    countries after each row; a row matched to none has those cells empty."""
    chosen = [request.POST.get(choice_field(index), NONE) for index in range(len(sheet.rows))]
    organisations = {
        organisation.slug: organisation
        for organisation in public_organisations()
        .filter(slug__in={slug for slug in chosen if slug})
        .prefetch_related("focus_areas", "countries")
    }
    added = [added_cells(request, organisations.get(slug)) for slug in chosen]
    header = [
        _("Directory id"),
        _("Directory page"),
        _("Leadership"),
        _("Focus areas"),
        _("Country"),
    ]
    response = HttpResponse(
        sheet.written(header, added), content_type=FILE_TYPES[sheet.format].content_type
    )
    response["Content-Disposition"] = content_disposition_header(True, sheet.download_name())
    # The list is theirs: no cache along the way keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


def added_cells(request, organisation) -> list[str]:
    if organisation is None:
        return ["", "", "", "", ""]
    # The page's address without a language prefix: the same for every reader of the sheet.
    with translation.override(None):
        address = request.build_absolute_uri(reverse("orgs:organisation", args=[organisation.slug]))
    return [
        organisation.slug,
        address,
        organisation.get_leadership_display(),
        "; ".join(area.translated_name for area in organisation.focus_areas.all()),
        "; ".join(country.translated_name for country in organisation.countries.all()),
    ]
