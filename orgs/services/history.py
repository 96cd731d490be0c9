"""Who changed what, and why: every history entry written by an editor's action names both.

The services wrap their writes in `recorded(by, reason)`; the history signal
(`orgs.signals`) fills each entry from it. `one_history_entry` makes a row and its
many-to-many fields one entry instead of one per field.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models


@contextmanager
def one_history_entry(instance: models.Model, many: dict, reason: str = ""):
    """Writes a row and its many-to-many fields as one entry of its history, not one per field.

    History is paused while the block writes, then one more save records the finished row.
    """
    instance._change_reason = reason or None
    if not many or not hasattr(instance._meta, "simple_history_manager_attribute"):
        yield
        return
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    instance.save()


_recording: ContextVar[tuple | None] = ContextVar("recording", default=None)


@contextmanager
def recorded(by, reason: str):
    """Names `by` and `reason` in every history entry written inside the block that names none
    itself: the rows a merge moves, the claims an approval creates, the terms an import adds."""
    token = _recording.set((by if by is not None and by.pk else None, reason))
    try:
        yield
    finally:
        _recording.reset(token)


def fill_history_entry(history_instance):
    """Gives a history entry about to be written the editor and reason of `recorded`."""
    recording = _recording.get()
    if recording is None:
        return
    by, reason = recording
    if history_instance.history_user_id is None and by is not None:
        history_instance.history_user = by
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
