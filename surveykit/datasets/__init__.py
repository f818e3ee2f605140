"""surveykit.datasets: synthetic study data and small example data sets.

- :func:`generate_responses`: a wave of synthetic responses to an instrument, drawn from the
  population margins with nonresponse bias, a latent-trait answer model, skip logic, item
  nonresponse and planted quality problems (seeded, bit-for-bit reproducible);
- :func:`make_demo_study`: the whole demo study written as platform exports (Questback EFS
  ``.sav``, Nettskjema CSV, SurveyXact and Microsoft Forms workbooks) with deployment files,
  dispositions and the known effects;
- :func:`write_platform_export`: one frame in a platform's export layout;
- :func:`load_population`: the demo study's population margins (SSB 07459, Hamarregionen 20-40);
- :func:`load_api`: R survey's ``api`` samples (used by the examples across the package).
"""

from surveykit.datasets._api import load_api
from surveykit.datasets._demo import make_demo_study
from surveykit.datasets._exports import PLATFORMS, write_platform_export
from surveykit.datasets._generate import generate_responses
from surveykit.datasets._population import load_population

__all__ = [
    "PLATFORMS",
    "generate_responses",
    "load_api",
    "load_population",
    "make_demo_study",
    "write_platform_export",
]
