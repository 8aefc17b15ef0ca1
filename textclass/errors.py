"""Exceptions and warnings raised by textclass (one class per problem, so callers can catch it)."""

from __future__ import annotations


class TextclassError(Exception):
    """Base class of every textclass error."""


class EmptyTextError(TextclassError, ValueError):
    """A text to classify is empty or only whitespace."""


class DataError(TextclassError, ValueError):
    """A data file is malformed; the message names the file and line."""


class ModelIntegrityError(TextclassError):
    """A model file does not match the SHA-256 recorded in its sidecar, or has no sidecar."""


class ModelVersionWarning(UserWarning):
    """A model was saved with library versions other than the installed ones."""


class BackendWarning(UserWarning):
    """The segmentation backend a model asks for is not installed; jieba is used instead."""
