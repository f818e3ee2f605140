"""surveykit.datasets: synthetic study data and small example data sets.

- :func:`generate_responses`: a wave of synthetic responses to an instrument, drawn from the
  population margins with nonresponse bias, a latent-trait answer model, skip logic, item
  nonresponse and planted quality problems (seeded, bit-for-bit reproducible);
- :func:`load_population`: the demo study's population margins (SSB 07459, Hamarregionen 20-40);
- :func:`load_api`: R survey's ``api`` samples (used by the examples across the package).
"""

from surveykit.datasets._api import load_api
from surveykit.datasets._generate import generate_responses
from surveykit.datasets._population import load_population

__all__ = ["generate_responses", "load_api", "load_population"]
