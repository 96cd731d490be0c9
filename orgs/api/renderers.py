"""CSV as a format of every API response (`format=csv` or `Accept: text/csv`)."""

import csv
import io

from rest_framework import renderers

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
