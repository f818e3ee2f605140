"""surveykit.ingestion: read platform exports, type and validate them against an instrument.

``read_responses`` reads CSV, XLSX, SPSS, Stata and Parquet files, maps platform layouts
(Nettskjema, Questback EFS, SurveyXact, Microsoft Forms, Kobo/ODK, generic) to the
instrument's variables, types every item, validates everything at once into a
``ValidationReport``, flags quality problems without deleting rows, pseudonymises
identifiers and accounts for every row (``Accounting``). See ARCHITECTURE.md.
"""

from surveykit.ingestion._accounting import Accounting
from surveykit.ingestion._deployment import Deployment, load_deployment
from surveykit.ingestion._metadata import FileMetadata, ResponseMetadata
from surveykit.ingestion._platforms import SOURCES
from surveykit.ingestion._privacy import pseudonymize
from surveykit.ingestion._read import read_responses
from surveykit.ingestion._report import RULES, ValidationReport
from surveykit.ingestion._responses import Responses

__all__ = [
    "RULES",
    "SOURCES",
    "Accounting",
    "Deployment",
    "FileMetadata",
    "ResponseMetadata",
    "Responses",
    "ValidationReport",
    "load_deployment",
    "pseudonymize",
    "read_responses",
]

for _name in ("Accounting", "Deployment", "FileMetadata", "ResponseMetadata", "Responses",
              "ValidationReport", "load_deployment", "pseudonymize", "read_responses"):
    globals()[_name].__module__ = "surveykit.ingestion"
del _name
