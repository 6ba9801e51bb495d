"""gunicorn's settings for Vmeste. gunicorn reads this file from the directory it is started in (the
repository root, as README.md's deployment lines do it); flags on its command line (-w, -b) win.
`make bench` and `make chaos` serve the app with it too, so what they measure is what is deployed.

Once a worker has loaded the app, almost everything alive (modules, the app, SQLAlchemy's mappers,
Babel's catalogues: about 300,000 objects) lives as long as the worker. Python's collector walked
all of them on every full collection, and a heavy page triggers several: gc.freeze() moves them out
of its reach. The first generation's threshold is raised from 700 to 10,000 allocations, so a page
that builds a few hundred thousand short-lived objects is not interrupted by hundreds of young
collections. CPU time of the garbage collector per request of the jury overview (1,000 entries × 7
jurors, 327 KB, in one process): 59–67 ms as Python ships, 29–30 ms with gc.freeze(), 7–11 ms with
the threshold too; light pages (the dashboard) spend no measurable time in it either way.

Not preloading the app (`preload_app`): the master would create the app and its database engine
before forking, and pooled connections must not be shared across processes.
"""

from __future__ import annotations

import gc

FIRST_GENERATION_THRESHOLD = 10_000


def post_worker_init(worker: object) -> None:
    """Called by gunicorn in each worker right after it has loaded the app, before any request."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
