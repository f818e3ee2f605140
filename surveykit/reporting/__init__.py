"""surveykit.reporting: formatted tables, plots, disclosure control and the appendix.

Numbers become strings only here (estimators return floats). ``table()`` turns estimates into a
:class:`FormattedTable` (labels from the instrument, percentages, confidence intervals,
unweighted bases, small cells suppressed); :class:`Appendix` collects sections of text,
tables and figures and renders them as one self-contained HTML file, a Word document, an
Excel workbook or a PDF. Banner tables ("krysstabeller") from :func:`surveykit.banner` are
written as their own workbook (:func:`banner_workbook`) or added to an appendix
(:func:`add_banner_section`). Available at top level as ``sk.report``.
"""

# --- reporting core (reporting helper) ---
from surveykit._aapor import aapor_rates
from surveykit.reporting._appendix import Appendix, Section
from surveykit.reporting._content import (
    aapor_table,
    codebook_table,
    moe_table,
    software_versions,
    weighting_tables,
)
from surveykit.reporting._disclosure import suppress, suppression_mask
from surveykit.reporting._format import format_number
from surveykit.reporting._formatted import FormattedTable
from surveykit.reporting._headers import column_header
from surveykit.reporting._labels import Labeller, VariableLabels
from surveykit.reporting._plots import PALETTE, new_figure, plot
from surveykit.reporting._tables import table
from surveykit.reporting._vocabulary import VOCABULARY, term
from surveykit.reporting._vocabulary import group as vocabulary_group
from surveykit.reporting._vocabulary import pairs as vocabulary_pairs

# --- end reporting core ---
# isort: split

# --- comparison plots (comparison helper) ---
from surveykit.reporting._plots_dumbbell import dumbbell_plot, dumbbell_plots
from surveykit.reporting._plots_trend import trend_plot

# --- end comparison plots ---
# isort: split

# --- banner tables (banner output helper) ---
from surveykit.reporting._banner_appendix import add_banner_section, banner_tables
from surveykit.reporting._banner_xlsx import banner_workbook

# --- end banner tables ---

__all__ = [
    # reporting core (reporting helper)
    "Appendix",
    "FormattedTable",
    "Labeller",
    "PALETTE",
    "Section",
    "VOCABULARY",
    "VariableLabels",
    "aapor_rates",
    "aapor_table",
    "codebook_table",
    "column_header",
    "format_number",
    "moe_table",
    "new_figure",
    "plot",
    "software_versions",
    "suppress",
    "suppression_mask",
    "table",
    "term",
    "vocabulary_group",
    "vocabulary_pairs",
    "weighting_tables",
    # comparison plots (comparison helper)
    "dumbbell_plot",
    "dumbbell_plots",
    "trend_plot",
    # banner tables (banner output helper)
    "add_banner_section",
    "banner_tables",
    "banner_workbook",
]
