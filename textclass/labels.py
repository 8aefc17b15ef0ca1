"""The shipped label set and its guide (see docs/labels.md)."""

from __future__ import annotations

#: The six labels of the shipped model, in their canonical order.
LABELS: tuple[str, ...] = ("policy", "trade", "crime", "health", "security", "other")

#: Chinese names, as used by editors.
LABEL_NAMES_ZH: dict[str, str] = {
    "policy": "政策报告",
    "trade": "国际贸易",
    "crime": "犯罪/法律",
    "health": "健康",
    "security": "安全",
    "other": "其他",
}


def order_labels(labels) -> tuple[str, ...]:
    """Return distinct labels in canonical order: the shipped six first, then the rest sorted."""
    present = set(labels)
    known = [label for label in LABELS if label in present]
    extra = sorted(present.difference(LABELS))
    return tuple(known + extra)
