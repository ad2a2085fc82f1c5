"""Attendance by face: consent, enrolment, identification, liveness, roll call (Qt-free)."""
