"""surveykit.participation: meeting-place participation against the project's target.

``EventRegister`` holds the events; ``read_attendance`` reads sign-up and check-in exports,
replaces every e-mail address, phone number and participant id by a keyed pseudonym and
validates the rows against the register; ``participation`` turns register, attendance and
(optionally) the feedback form into a ``ParticipationResult``; ``progress_chart`` and
``concept_chart`` draw it, and ``add_participation_section`` puts it in a study appendix.
See ARCHITECTURE.md.
"""

from surveykit.participation._appendix import add_participation_section
from surveykit.participation._attendance import Attendance, AttendanceAccounting, read_attendance
from surveykit.participation._charts import concept_chart, progress_chart
from surveykit.participation._indicators import TARGET, ParticipationResult, participation
from surveykit.participation._register import PROJECT_PERIOD, EventRegister

__all__ = [
    "PROJECT_PERIOD",
    "TARGET",
    "Attendance",
    "AttendanceAccounting",
    "EventRegister",
    "ParticipationResult",
    "add_participation_section",
    "concept_chart",
    "participation",
    "progress_chart",
    "read_attendance",
]
