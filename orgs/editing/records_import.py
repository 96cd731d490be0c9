"""The admin's Import page and export actions for organisations and advocates.

`ImportExportMixin` adds to a changelist an "Import" button (staff with add permission):
upload a file, choose its format and the Source its rows cite (or name a new one, created when
the import is confirmed), read the preview row by row, then "Confirm import". The confirmation
re-reads the uploaded file from the database (`PendingImport`, whose id the session holds; never
a copy sent back by the browser), so any server can confirm what another previewed, and commits
it through `orgs.services.records_import`, all rows or none: a file of more rows than
`IMPORT_IN_REQUEST_MAX_ROWS` is handed to the background worker, and the editor lands on its
progress page (rows read of total, then what was saved or why nothing was). Pending files are
deleted once confirmed or replaced, and after a day (`orgs.services.pending_imports` keeps and
deletes them).
It also adds three actions that export the selected records in the formats the import reads.

Why custom: django-import-export's admin import maps one file row to one model row matched on
an id column; ours makes advocates, organisations, affiliations and claims from one row and
matches them by name within a country (see `orgs.services.records_import`), so its views
would not fit; the files are read there and written in `orgs.editing.records_export`, with
tablib and the csv module.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from directory.request_limits import larger_body
from orgs.editing.records_export import export_rows, write_file
from orgs.models import PendingImport, Source
from orgs.services import pending_imports
from orgs.services.records_import.commit import ImportRejected
from orgs.services.records_import.preview import preview_import
from orgs.services.records_import.reading import FILE_TYPES, Format, format_for

SESSION_KEY = "orgs_import"
# The upload's body: the file, the form's other fields and the multipart framing around them.
UPLOAD_BODY_MARGIN = 64 * 1024
PROGRESS_REFRESH_SECONDS = 2


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX, or a tab-separated table laid out like EPIM.")
    format = forms.ChoiceField(
        choices=[("", "From the file's extension"), *Format.choices], required=False
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        help_text="The report or list every row will cite; or name a new one below.",
    )
    first_line = forms.IntegerField(
        min_value=1,
        initial=1,
        required=False,
        help_text="EPIM layout: the number of the file's first line in its report.",
    )
    # A new source, created when the import is confirmed (not before: a preview saves nothing).
    new_source_key = forms.SlugField(
        required=False, max_length=50, label="New source: key", help_text="e.g. city-survey-2026"
    )
    new_source_title = forms.CharField(required=False, max_length=400, label="New source: title")
    new_source_short_title = forms.CharField(
        required=False, max_length=120, label="New source: short title"
    )
    new_source_year = forms.IntegerField(
        required=False, min_value=1900, max_value=2100, label="New source: year"
    )
    new_source_url = forms.URLField(
        required=False, max_length=500, label="New source: web address", assume_scheme="https"
    )

    NEW_SOURCE = ["key", "title", "short_title", "year", "url"]

    def clean(self):
        cleaned = super().clean()
        self.check_source(cleaned)
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
            megabytes = settings.IMPORT_UPLOAD_MAX_BYTES / 1024 / 1024
            raise forms.ValidationError(f"The file is larger than {megabytes:g} MB.")
        cleaned["format"] = cleaned.get("format") or format_for(upload.name)
        if not cleaned["format"]:
            raise forms.ValidationError("Choose the format: the file's extension names none.")
        cleaned["first_line"] = cleaned.get("first_line") or 1
        return cleaned

    def check_source(self, cleaned):
        """Either an existing source or a new one, complete and with a key not yet taken."""
        new = {name: cleaned.get(f"new_source_{name}") for name in self.NEW_SOURCE}
        named = any(value not in ("", None) for value in new.values())
        if cleaned.get("source") and named:
            raise forms.ValidationError("Choose an existing source or name a new one, not both.")
        if not cleaned.get("source") and not named:
            self.add_error("source", "Choose the source, or name a new one below.")
            return
        if not named:
            return
        source = Source(**{name: value for name, value in new.items() if value is not None})
        try:
            source.full_clean()
        except ValidationError as invalid:
            for name, errors in invalid.message_dict.items():
                field = f"new_source_{name}" if name in self.NEW_SOURCE else None
                for error in errors:
                    self.add_error(field, error)
            return
        cleaned["new_source"] = {name: value for name, value in new.items() if value}


def keep_upload(request, data: dict) -> PendingImport:
    """Stores the upload for its confirmation, replacing the editor's previous one; the
    session holds its id."""
    upload = data["file"]
    pending = pending_imports.keep_upload(
        request.user,
        name=Path(upload.name).name,
        format=data["format"],
        data=b"".join(upload.chunks()),
        source=data.get("source"),
        new_source=data.get("new_source", {}),
        first_line=data["first_line"],
        replacing=pending_id(request),
    )
    request.session[SESSION_KEY] = pending.pk
    return pending


def pending_id(request) -> int | None:
    value = request.session.get(SESSION_KEY)
    # A session from before uploads moved to the database holds a dict: nothing to confirm.
    return value if isinstance(value, int) else None


def kept_upload(request) -> PendingImport | None:
    """The upload this editor previewed, if it is still pending."""
    if pending_id(request) is None:
        return None
    return pending_imports.pending_upload(pending_id(request), request.user)


def upload_view(view):
    """The upload page takes a file of up to `IMPORT_UPLOAD_MAX_BYTES` (other pages far less)."""
    return larger_body(lambda: settings.IMPORT_UPLOAD_MAX_BYTES + UPLOAD_BODY_MARGIN)(view)


class ImportExportMixin:
    """Import page and export actions for a changelist of organisations or advocates."""

    change_list_template = "admin/orgs/change_list_import.html"
    import_template = "admin/orgs/import.html"
    progress_template = "admin/orgs/import_progress.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", upload_view(view(self.import_view)), name=f"{name}_import"),
            path("import/confirm/", view(self.confirm_import_view), name=f"{name}_import_confirm"),
            path(
                "import/<int:pk>/", view(self.import_progress_view), name=f"{name}_import_progress"
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            for format, label in Format.choices:
                name = f"export_{format}"
                description = f"Export the selected records: {label}"
                actions[name] = (self.exporter(format), name, description)
        return actions

    def exporter(self, format: str):
        def export(modeladmin, request, queryset):
            file_type = FILE_TYPES[format]
            rows = export_rows(queryset)
            response = HttpResponse(write_file(rows, format), content_type=file_type.content_type)
            filename = f"{self.opts.verbose_name_plural}{file_type.extensions[0]}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response

        return export

    def import_context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import {self.opts.verbose_name_plural}",
            "changelist_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            ),
            **context,
        }

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            pending = keep_upload(request, data)
            preview = preview_import(bytes(pending.data), pending.format, pending.first_line)
            pending_imports.previewed(pending, preview.rows)
            context = self.import_context(
                request, preview=preview, source=pending.cited_source(), file_name=pending.name
            )
            return TemplateResponse(request, self.import_template, context)
        return TemplateResponse(
            request, self.import_template, self.import_context(request, form=form)
        )

    def confirm_import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        pending = kept_upload(request)
        if pending is None:
            messages.error(request, "There is no previewed file to import: upload it again.")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        if pending_imports.runs_in_background(pending):
            pending_imports.queue_upload(pending)
            del request.session[SESSION_KEY]
            return redirect(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import_progress", pending.pk
            )
        try:
            result = pending_imports.confirm_upload(pending, by=request.user)
        except ValidationError as invalid:  # the new source's key was taken meanwhile
            messages.error(request, f"Nothing was imported: {' '.join(invalid.messages)}")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        except ImportRejected as rejected:
            context = self.import_context(
                request,
                preview=rejected.preview,
                source=pending.cited_source(),
                file_name=pending.name,
            )
            messages.error(request, "Nothing was imported: some rows are rejected.")
            return TemplateResponse(request, self.import_template, context)
        del request.session[SESSION_KEY]
        counts = result.preview.counts
        messages.success(
            request,
            f"Imported {pending.name}: {result.preview.rows} rows, "
            f"{counts['create']} records created, {counts['merge']} merged.",
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def import_progress_view(self, request, pk: int):
        """A background import's progress, then its outcome; the page refreshes itself (a
        meta refresh: the admin's CSP allows no inline script) until it is finished."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        run = pending_imports.import_run(pk, request.user)
        if run is None:
            raise Http404("No import of yours with this number.")
        context = self.import_context(
            request,
            title=f"Import of {run.name}",
            run=run,
            finished=run.status in PendingImport.FINISHED,
            refresh_seconds=PROGRESS_REFRESH_SECONDS,
        )
        return TemplateResponse(request, self.progress_template, context)
