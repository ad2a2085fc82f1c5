# The two commands of the README. Each one prepares the machine first (idempotent).
.PHONY: run test setup

VENV ?= .venv

setup:
	bash scripts/setup.sh

# Headless: the scripted demo meeting. (The desktop app arrives with the UI work; until
# then a machine with a display runs the same demo in the terminal.)
run: setup
	$(VENV)/bin/meetingapp demo --out demo-output

test: setup
	$(VENV)/bin/python -m pytest
