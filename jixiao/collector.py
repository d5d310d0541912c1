"""The garbage collector of a long-lived process (the API, a worker), tuned once it is set up."""

from __future__ import annotations

import gc

import dramatiq

# See ``tune_garbage_collector``.
YOUNG_COLLECTION_THRESHOLD = 7000


def tune_garbage_collector() -> None:
    """For a serving process once its app is built (jixiao/asgi.py), and for a worker once it
    has booted (jixiao/worker.py).

    A request allocates tens of thousands of short-lived objects (GraphQL execution, rows);
    with the default threshold of 700 the collector ran several times per request, and its
    older generations walked everything the process had imported (the schema, SQLAlchemy's and
    strawberry's tables): about a quarter of a people page's CPU (bench/profile_request.py).
    So young collections run less often, and what exists once the app is built (it lives as
    long as the process) is moved out of the collector's sight."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


class TunedCollector(dramatiq.Middleware):
    """Dramatiq's hook: a worker's collector tuned once it has booted (jixiao/worker.py). A
    bonus run makes hundreds of thousands of objects; with Python's defaults the collector
    walked them over and over (a sixth of a 100,000-person run, ``bench.bonus_run``)."""

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        tune_garbage_collector()
