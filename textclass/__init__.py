"""textclass: topic labels for Chinese news headlines and paragraphs.

>>> import textclass
>>> p = textclass.classify("美国宣布对墨西哥番茄征收20.91%的关税")
>>> p.label
'trade'

The whole public API is listed in ``__all__``; everything else is private.
"""

from ._version import __version__
from .api import classify, classify_batch, classify_document, default_classifier, explain, load, train
from .document import DocumentPrediction, split_paragraphs
from .files import LabelSummary, label_file
from .errors import BackendWarning, DataError, EmptyTextError, ModelIntegrityError, ModelVersionWarning, TextclassError
from .labels import LABEL_NAMES_ZH, LABELS
from .prediction import Prediction


def __getattr__(name: str):
    """``textclass.Classifier`` imports scikit-learn, so it is imported on first use."""
    if name == "Classifier":
        from .model import Classifier

        return Classifier
    raise AttributeError(f"module 'textclass' has no attribute {name!r}")


__all__ = [
    "LABELS",
    "LABEL_NAMES_ZH",
    "BackendWarning",
    "Classifier",
    "LabelSummary",
    "DataError",
    "DocumentPrediction",
    "EmptyTextError",
    "ModelIntegrityError",
    "ModelVersionWarning",
    "Prediction",
    "TextclassError",
    "__version__",
    "classify",
    "classify_batch",
    "classify_document",
    "default_classifier",
    "explain",
    "label_file",
    "load",
    "split_paragraphs",
    "train",
]
