"""The background worker, run within a test: django-tasks-db's own `Worker`, which
`manage.py db_worker` runs, taking each task that is due until none is left; and time passing
for the mail and tasks that wait."""

from datetime import timedelta

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from orgs.models import OutgoingMail


def run_worker() -> int:
    """Runs every task that is due; returns how many ran. The command's own loop also closes
    the database connection between tasks, which would end the test's transaction on
    PostgreSQL, so the loop is this one."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (queued := DBTaskResult.objects.ready().get_locked()) is not None:
        queued.claim(worker.worker_id)
        worker.run_task(queued)
        ran += 1
    return ran


def time_passes(**delta):
    """Moves every waiting mail and task back by `delta` (`minutes=1`), as if that much time had
    passed."""
    for mail in OutgoingMail.objects.all():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            next_attempt_at=mail.next_attempt_at - timedelta(**delta),
            claimed_until=mail.claimed_until and mail.claimed_until - timedelta(**delta),
        )
    for task in DBTaskResult.objects.all():
        DBTaskResult.objects.filter(pk=task.pk).update(
            run_after=task.run_after and task.run_after - timedelta(**delta)
        )
