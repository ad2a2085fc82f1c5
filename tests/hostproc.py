"""The tests start the host exactly as the demo and the app do."""

from meetingapp.localhost import LocalHost as HostProcess

__all__ = ["HostProcess"]
