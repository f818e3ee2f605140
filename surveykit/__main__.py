"""Allow ``python -m surveykit``."""

import sys

from surveykit.cli import main

sys.exit(main())
