"""Cells a spreadsheet would run as a formula: the one rule every file the directory writes keeps.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice or Google Sheets when the file is opened (CSV injection), so a name or an
address written by anyone could run in an editor's or a reader's spreadsheet. As OWASP advises,
such a cell is written with a leading apostrophe, which spreadsheets show as text. The API's
CSV, the survey responses' CSV and the admin's exports all write their cells through
`safe_cell`; the importer reads a guarded cell back through `unguarded`, so that an exported
file imports as it was.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as a cell's text (None: empty), with an apostrophe before a formula's start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """A cell's text as it was before `safe_cell` guarded it."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
