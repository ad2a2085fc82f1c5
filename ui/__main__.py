"""``python -m ui`` (what ``meetingapp run`` starts): the desktop/tablet app."""

from ui.app import main

main()
