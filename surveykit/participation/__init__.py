"""surveykit.participation: meeting-place participation against the project's target.

``EventRegister`` holds the events; ``read_attendance`` reads sign-up and check-in exports,
replaces every e-mail address, phone number and participant id by a keyed pseudonym and
validates the rows against the register; ``participation`` turns register, attendance and
(optionally) the feedback form into the indicators the project reports. See ARCHITECTURE.md.
"""

from surveykit.participation._attendance import Attendance, AttendanceAccounting, read_attendance
from surveykit.participation._register import PROJECT_PERIOD, EventRegister

__all__ = [
    "PROJECT_PERIOD",
    "Attendance",
    "AttendanceAccounting",
    "EventRegister",
    "read_attendance",
]

for _name in ("Attendance", "AttendanceAccounting", "EventRegister", "read_attendance"):
    globals()[_name].__module__ = "surveykit.participation"
del _name
