# The two commands of the README. Each one prepares the machine first (idempotent).
.PHONY: run test setup screenshots bundle

VENV ?= .venv

setup:
	bash scripts/setup.sh

# With a display: the app, with the demo meeting loaded and a launcher for every role.
# Headless: the scripted demo meeting through the real host, ending in signed minutes.
run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(VENV)/bin/meetingapp run --demo --out demo-output; \
	else \
		$(VENV)/bin/meetingapp demo --out demo-output; \
	fi

# Every main screen, in Vietnamese, rendered offscreen into docs/screenshots/.
screenshots: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python scripts/screenshots.py
	$(VENV)/bin/python scripts/web_screenshots.py
	$(VENV)/bin/python scripts/web_display_screenshots.py

test: setup
	VENV=$(VENV) bash scripts/run_tests.sh

# The self-contained Linux bundle (dist/meetingapp/), its .tar.gz and .deb: see packaging/.
bundle: setup
	PYTHON=$(abspath $(VENV))/bin/python bash packaging/build-linux.sh
