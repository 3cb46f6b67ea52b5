"""Mentorship: 师徒帮带 pairings (agreement, goals and tasks, meeting log, inactivity
flags, final review 期满考核, programme dashboard) and 班子成员挂联指导 (a leader's
picture of each linked unit and their guidance visits).

The mentee view gathers other domains' progress through ``learn.core.progress``
and imports none of them; the unit picture reads the ledger and, when the
courses domain is installed, ``learn.courses.required_completion``.

Public names: MentorPairing, PairingState, GuidanceVisit.
"""

from learn.mentorship.models import GuidanceVisit, MentorPairing
from learn.mentorship.states import PairingState

__all__ = ["GuidanceVisit", "MentorPairing", "PairingState"]
