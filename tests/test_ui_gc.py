"""Qt objects are freed on the Qt thread, never by a garbage collection that happens to run on
another thread.

A window in a reference cycle (its lambdas capture it) is freed by Python's cycle collector,
and Python runs it on whichever thread allocates: the network thread, a ``to_thread`` worker.
Freed there, a widget's deletion is deferred by shiboken to the main thread, where Qt may have
deleted it meanwhile (a double delete), and a QObject with a running timer is destroyed on the
wrong thread (the timer then fires into freed memory). Both crashed single-process test runs
with a segfault "in the garbage collector". Each case runs in a child process, which crashed
before ``ui.bridge.QtThreadCollector``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import gc, sys, threading, time, weakref
from PySide6.QtCore import SLOT, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from ui.bridge import Bridge, Feed
from ui.widgets import RoleWindow

case = sys.argv[1]
app = QApplication([])
bridge = Bridge()
freed_on = []
gc.collect()  # what follows is young: the first collection anywhere frees it
if case == "window":
    obj = RoleWindow(bridge, "a window nobody holds")
    obj.show()
else:  # the link watch of a session feed: a QObject with a running QTimer
    obj = Feed(bridge, None, "s")
    obj._watch.start()
obj.itself = obj  # a reference cycle: only the cycle collector frees it
alive = weakref.ref(obj, lambda _: freed_on.append(threading.current_thread().name))
del obj


def churn():
    time.sleep(0.3)  # the Qt thread is in its event loop by now, running no Python
    # the network thread at work: it allocates, and Python collects where it allocates
    kept = []
    deadline = time.monotonic() + 3
    while not freed_on and time.monotonic() < deadline:
        kept.extend([] for _ in range(1000))
        time.sleep(0.005)


bridge.loop.call_soon_threadsafe(churn)
loop = QEventLoop()
QTimer.singleShot(4500, loop, SLOT("quit()"))  # no Python runs on this thread meanwhile
loop.exec()
bridge.stop()
print("freed on", freed_on, flush=True)
print("gc enabled again", gc.isenabled(), flush=True)
"""


@pytest.mark.parametrize("case", ["window", "timer"])
def test_a_qt_object_in_a_cycle_is_freed_on_the_qt_thread(case: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONFAULTHANDLER", None)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, case],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = run.stdout + run.stderr
    assert run.returncode == 0, f"the child process died ({run.returncode}):\n{said}"
    assert "freed on ['MainThread']" in run.stdout, said
    assert "gc enabled again True" in run.stdout, said
    assert "Timers cannot be stopped from another thread" not in said
