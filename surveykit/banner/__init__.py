"""surveykit.banner: banner tables ("krysstabeller") with design-based significance letters.

Public names
------------
banner, BannerTable
    Every row question (single-choice, Likert with nets, multi-select, mean, NPS) by the
    columns of the banner variables: weighted column percentages or means, unweighted
    bases, and letters marking the columns each cell is significantly higher than, tested
    with the design's covariance between domains.
"""

from surveykit.banner._banner import banner
from surveykit.banner._table import BannerTable

__all__ = ["BannerTable", "banner"]
