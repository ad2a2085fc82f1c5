"""Errors of the face pipeline; each names why a photo or frame was refused."""

from __future__ import annotations

from meetingapp.errors import MeetingAppError


class FaceError(MeetingAppError):
    """A photo refused for enrolment or a frame that cannot be used; ``key`` says why."""

    key = "face.unreadable"
