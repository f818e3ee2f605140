"""Identifiers in a drawn sample: keyed pseudonyms in the analysis frame, raw ids kept apart.

A population frame from a register carries who each person is (national id, name,
address). The sample that becomes survey data must not: every identifier column is
replaced by the same keyed HMAC-SHA-256 pseudonym that :func:`surveykit.read_responses`
writes (so the sample links to the responses under the same key), or dropped when no key
is configured. The raw identifiers the fieldwork needs to send invitations are a separate
table, produced only on request.

Planning imports ingestion for this (and for reading a frame file): ingestion builds only on
instruments, so the dependency points down and creates no cycle, and one pseudonymiser
keeps pseudonyms linkable across the package.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from surveykit.errors import ArgumentError, SurveykitWarning
from surveykit.ingestion import load_pseudonym_key, pseudonymize
from surveykit.ingestion._privacy import KEY_ENV, KEY_FILE_ENV, find_identifier_columns

__all__ = ["ProtectedSample", "protect_sample"]


class ProtectedSample:
    """The analysis sample, the invitation list (or None) and what was done to each id."""

    __slots__ = ("actions", "invitations", "sample")

    def __init__(self, sample: pd.DataFrame, invitations: pd.DataFrame | None,
                 actions: dict[str, str]) -> None:
        self.sample = sample
        self.invitations = invitations
        self.actions = actions


def _identifier_columns(frame: pd.DataFrame, strata: str, id_column: str | None) -> list[str]:
    found = list(find_identifier_columns(frame, exclude=[strata]))
    if id_column is not None and id_column not in found:
        found.insert(0, id_column)
    return found


def _safe_index(frame: pd.DataFrame, rows: np.ndarray) -> pd.Index:
    """Return the index labels of ``rows``, or row positions when the index is an id."""
    index = frame.index
    if find_identifier_columns(index.to_frame(index=False)):
        return pd.RangeIndex(len(frame))[rows]
    return index[rows]


def protect_sample(frame: pd.DataFrame, rows: np.ndarray, strata: str, id_column: str | None,
                   keep_ids: bool, key_file: str | os.PathLike[str] | None) -> ProtectedSample:
    """Select ``rows`` of ``frame`` with identifiers pseudonymised (key) or dropped (none).

    Identifier columns are those named by ``id_column`` and those that look like identifiers
    by header or content (as at ingestion). With ``keep_ids`` the raw identifiers of the
    selected people, with the stratum, are returned as a separate invitation list sharing
    the sample's index; the analysis sample never holds them. An index that looks like an
    identifier is replaced by frame row positions in both.
    """
    ids = _identifier_columns(frame, strata, id_column)
    if keep_ids and not ids:
        raise ArgumentError("keep_ids=True asks for an invitation list of identifiers, but "
                            "the frame has no identifier column; name it with "
                            "id_column='...'.")
    index = _safe_index(frame, rows)
    picked = frame.iloc[rows].set_axis(index, axis=0)
    invitations = picked[[strata, *ids]].copy() if keep_ids else None
    if not ids:
        return ProtectedSample(picked.copy(), invitations, {})
    key = load_pseudonym_key(key_file)
    if key is None:
        if id_column is not None:
            warnings.warn(
                f"No pseudonym key is configured, so the id column {id_column!r} is dropped "
                f"from the sample and cannot link it to the responses. Set {KEY_ENV} or "
                f"{KEY_FILE_ENV} (a key kept outside the repository) to keep a keyed "
                "pseudonym.", SurveykitWarning, stacklevel=4)
        return ProtectedSample(picked.drop(columns=ids), invitations,
                               dict.fromkeys(ids, "dropped"))
    sample = picked.assign(**{c: pseudonymize(picked[c], key) for c in ids})
    return ProtectedSample(sample, invitations, dict.fromkeys(ids, "pseudonymised"))
