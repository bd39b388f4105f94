"""Celery: the beat schedule names only real tasks, queues and limits are set."""

import pytest
from django.conf import settings

from ecertif.celery import app


def registered_tasks():
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_beat_schedule_names_only_registered_tasks():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert scheduled - registered_tasks() == set()
    assert {
        "accounts.clear_sessions",
        "dossiers.purge_personal_data",
        "mail.erase_sent_bodies",
        "exports.purge_expired",
        "mail.retry_pending",
    } <= scheduled


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("mail.send", "email"),
        ("mail.retry_pending", "email"),
        ("exports.run", "documents"),
        ("exports.purge_expired", "default"),
        ("evaluations.send_invitation_reminders", "default"),
        ("dossiers.purge_personal_data", "default"),
    ],
)
def test_tasks_are_routed_to_their_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_workers_consume_the_three_queues_by_default():
    assert sorted(app.amqp.queues) == ["default", "documents", "email"]


def test_crash_safety_options():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_visibility_timeout_longer_than_every_hard_time_limit():
    limits = {
        name: app.tasks[name].time_limit or app.conf.task_time_limit for name in registered_tasks()
    }
    soft = {
        name: app.tasks[name].soft_time_limit or app.conf.task_soft_time_limit
        for name in registered_tasks()
    }

    assert all(limits.values()), limits
    assert all(soft[name] < limits[name] for name in limits), (soft, limits)
    assert app.conf.broker_transport_options["visibility_timeout"] > max(limits.values())
    assert limits["exports.run"] == settings.EXPORT_TIME_LIMIT
