"""surveykit.ingestion: read platform exports, type and validate them against an instrument.

``read_responses`` reads CSV, XLSX, SPSS, Stata and Parquet files, maps platform layouts
(Nettskjema, Questback EFS, SurveyXact, Microsoft Forms, Kobo/ODK, generic) to the
instrument's variables, types every item, validates everything at once into a
``ValidationReport``, flags quality problems without deleting rows, pseudonymises
identifiers and accounts for every row (``Accounting``). ``read_table`` reads side tables
(attendance lists, registers) with the same readers; ``load_pseudonym_key`` returns the
configured pseudonymisation key. See ARCHITECTURE.md.
"""

from surveykit.ingestion._accounting import Accounting
from surveykit.ingestion._deployment import Deployment, load_deployment
from surveykit.ingestion._metadata import FileMetadata, ResponseMetadata
from surveykit.ingestion._platforms import SOURCES
from surveykit.ingestion._privacy import load_pseudonym_key, pseudonymize
from surveykit.ingestion._read import read_responses
from surveykit.ingestion._readers import read_table
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
    "load_pseudonym_key",
    "pseudonymize",
    "read_responses",
    "read_table",
]
