"""The garbage collector of the API and worker processes is tuned once they are set up."""

from __future__ import annotations

import gc
from typing import Any, cast

from jixiao.collector import YOUNG_COLLECTION_THRESHOLD, TunedCollector


def test_a_booted_worker_collects_young_objects_less_often() -> None:
    before = gc.get_threshold()
    try:
        TunedCollector().after_worker_boot(cast(Any, None), cast(Any, None))
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0  # what the process holds from boot is left alone
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
