"""Hypothesis profiles: ``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) fixes the drawn examples.

Locally each run draws new examples, so property tests keep exploring; in CI the draws are
derived from each test's name, so a commit's result is the same on every run and a red run
reproduces with the same command.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
