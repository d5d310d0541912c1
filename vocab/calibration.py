"""Calibration (校准): how a rater's ratings compare with the unit's."""

from __future__ import annotations

from vocab.labelled import LabelledEnum


class RaterTendency(LabelledEnum):
    lenient = "lenient", "宽松"  # mean beyond the set distance above the unit's
    strict = "strict", "严格"  # ... below it
    typical = "typical", "正常"  # within the distance
    too_few = "too_few", "评价过少，不作判断"  # fewer ratings than ``calibration.min_ratings``
