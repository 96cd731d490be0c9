"""CSV as a format of every API response (`format=csv` or `Accept: text/csv`), and how the
format is chosen."""

import csv
import io

from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from orgs.api.csv_files import BOM, flat
from orgs.spreadsheet_cells import safe_cell


class CSVRenderer(renderers.BaseRenderer):
    """CSV of a list (or one record): the JSON fields flattened, one row per item."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = data if isinstance(data, list) else [data]
        columns = list(rows[0]) if rows else []
        output = io.StringIO()
        output.write(BOM)
        writer = csv.writer(output)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(flat(row.get(column))) for column in columns])
        return output.getvalue().encode("utf-8")


class FormatNegotiation(DefaultContentNegotiation):
    """A `format` the endpoint does not answer in is a wrong parameter: a 400 naming it, as
    every other (DRF answers 404, as for a missing page). It is chosen before the rates are
    counted (`APIView.initial`), so a refused format costs no allowance."""

    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            formats = ", ".join(sorted(renderer.format for renderer in renderers))
            reason = f"Unknown format {format!r}. This endpoint answers in: {formats}."
            raise ValidationError({self.settings.URL_FORMAT_OVERRIDE: [reason]})
        return found
