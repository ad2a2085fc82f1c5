"""``SessionMachine``: the single place where state changes, assembled from the commands of
each subject (``organisation``, ``faces``, ``agenda``, ``roll_call``, ``floor``, ``speech``,
``votes``, ``minutes``); the shared plumbing is in ``base``."""

from __future__ import annotations

from meetingapp.session.agenda import Agenda
from meetingapp.session.faces import Faces
from meetingapp.session.floor import Floor
from meetingapp.session.minutes import MinutesStages
from meetingapp.session.organisation import Organisation
from meetingapp.session.registry import REGISTRY
from meetingapp.session.roll_call import RollCall
from meetingapp.session.speech import Speeches
from meetingapp.session.votes import Votes

REGISTRY.check()  # every kind has its reducer, once all subjects are imported


class SessionMachine(Organisation, Faces, Agenda, RollCall, Floor, Speeches, Votes, MinutesStages):
    """Owns the world state and the database it is written to. One instance per host."""
