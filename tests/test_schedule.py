"""Tasks that wait for one another, on one thread or several."""

from __future__ import annotations

import threading

import pytest

from borderkg.schedule import Task, run_tasks


def test_two_ready_tasks_run_at_once_on_two_threads():
    # Each waits for the other to have started: on one thread at a time this would time out.
    met = threading.Barrier(2, timeout=10)
    ended = run_tasks([Task("a", met.wait), Task("b", met.wait)], threads=2)
    assert sorted(ended) == ["a", "b"]


def test_a_task_starts_only_after_those_it_waits_for_have_ended():
    log = []

    def step(name):
        return lambda: log.append(name)

    tasks = [Task("c", step("c"), frozenset({"a", "b"})), Task("a", step("a")), Task("b", step("b"), frozenset({"a"})),
             Task("d", step("d"))]
    run_tasks(tasks, threads=3)
    assert log.index("a") < log.index("b") < log.index("c")
    assert sorted(log) == ["a", "b", "c", "d"]


def test_a_failure_is_raised_and_what_waits_for_it_never_runs():
    ran = []

    def fail():
        raise RuntimeError("the layer's query failed")

    with pytest.raises(RuntimeError, match="query failed"):
        run_tasks([Task("a", fail), Task("b", lambda: ran.append("b"), frozenset({"a"}))], threads=2)
    assert ran == []


def test_one_thread_runs_in_the_order_given_and_refuses_an_order_that_cannot_be():
    log = []
    run_tasks([Task(n, lambda n=n: log.append(n)) for n in "xyz"])
    assert log == ["x", "y", "z"]
    with pytest.raises(ValueError, match="before a task it waits for"):
        run_tasks([Task("b", lambda: None, frozenset({"a"})), Task("a", lambda: None)])
