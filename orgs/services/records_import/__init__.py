"""Importing organisations and advocates from an editor's file: read, preview, commit.

A file holds rows of the eight columns of EPIM 2019 Annex 2 (person name, email/website,
organisation, form, location, advocacy scope, focus, target groups), in one of three layouts:
CSV or XLSX with a header row (EPIM's titles or our short names) and a `country` column, or a
tab-separated table laid out like the annex itself (a country header line above each block).

The import goes in three steps, one module each:

- `reading`: the file's rows (`read_rows`), and what each row says (`read_row`): a cell the
  editors' EPIM tables map reads as they decided, any other cell is read automatically
  (`orgs.seeding.cells`); a row that cannot be read says why it is rejected.
- `preview`: which record each row creates or merges into (`Matcher.merge_or_create`: an
  organisation or an advocate by name or alias, in the row's country; within one file the same
  name, or the same table key, is one record), as the `Preview` the editor reads. It writes
  nothing.
- `commit`: the one write (`commit_import`): it previews the file again and saves all of it in
  one transaction, or nothing when any row is rejected; everything it writes cites the Source
  the editor chose.

The admin's Import page is `orgs.editing.records_import`; exporting records as rows this
import reads back is `orgs.editing.records_export`.

Why custom: django-import-export imports one model row per file row, matched on an id column;
a row here makes an advocate, its organisations, affiliations and leadership claims, matched by
name within a country, so the flow is our own. CSV is read with the `csv` module because tablib
pads a short row silently and fails the whole file on a long one, and the preview must name the
row of the wrong width; XLSX is streamed by openpyxl (read-only), so that reading stops at
`IMPORT_MAX_ROWS` rows however many a small file holds. The EPIM layout (country header
lines, continuation lines, footnotes) is a layout no library knows.
"""
