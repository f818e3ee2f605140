"""surveykit.datasets: synthetic study data and small example data sets.

- :func:`load_api`: R survey's ``api`` samples (used by the examples across the package);
- :func:`load_population`: the demo study's population margins (SSB 07459, Hamarregionen 20-40).
"""

from surveykit.datasets._api import load_api
from surveykit.datasets._population import load_population

__all__ = ["load_api", "load_population"]
