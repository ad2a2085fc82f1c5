#!/usr/bin/env bash
# Every test (`make test`), in one pytest process. The Qt window test files once ran one file
# per process: a long run crashed with a segfault in Python's garbage collector (windows in
# reference cycles freed by a collection on the network thread). ui.bridge.QtThreadCollector
# now keeps collection on the Qt thread while a Bridge runs (tests/test_ui_gc.py), and one
# process is faster than fourteen (no start-up and import per file).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
exec "$PY" -m pytest "$@"
