"""One ``fetchAllJob`` per app, shared by the reads of one refresh.

A refresh of N jobs then costs one listing request instead of N fetches. What a listing may
serve is bounded so that it cannot change a plan:

- It belongs to one provider instance, made in ``configure()``. The engine starts the dynamic
  provider process for one operation (``preview``, ``up``, ``refresh``, ``destroy``) and
  configures each provider once in it, so no listing outlives the operation that took it.
- It serves each job at most once. The engine reads a resource once per operation; a second
  read of the same job (a long-lived process, a caller of its own) lists again. So every read
  is the job as the server had it at one instant after that job's previous read: the answer a
  ``fetchJob`` sent at that instant would have given.
- It is dropped whenever this provider changes a job of that app, and after ``MAX_AGE_S``.

The creates of one operation share one more listing per app, of the ownership marks
(``ownership``): which live jobs carry which mark. It is taken at the first create (or from
the first listing of a refresh) and kept for the operation, because what it answers, "did an
earlier operation leave a job with this mark", cannot change while this one runs: its own
creates carry other marks, and a candidate is read again before it is adopted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.models import JobInfoDTO
from pulumi_powerjob.reconcile import ownership

MAX_AGE_S = 30.0
# the clock, replaceable in tests
monotonic: Callable[[], float] = time.monotonic


@dataclass
class _Listing:
    taken_at: float
    jobs: dict[int, JobInfoDTO]
    served: set[int] = field(default_factory=set)


class Listings:
    """The app listings of one provider instance (one engine operation); thread-safe."""

    def __init__(self) -> None:
        self._listings: dict[tuple[str, ...], _Listing] = {}
        self._lock = threading.Lock()
        self._fetching: dict[tuple[str, ...], threading.Lock] = {}
        self._marks: dict[tuple[str, ...], dict[int, str]] = {}

    def job(self, client: PowerJobClient, job_id: int) -> JobInfoDTO:
        """The job as the app's listing shows it; a fetch when the listing does not have it."""
        key = client.settings.key
        with self._lock:
            fetching = self._fetching.setdefault(key, threading.Lock())
        with fetching:  # one listing request, even when four reads arrive at once
            with self._lock:
                listing = self._listings.get(key)
            if listing is not None and (
                job_id in listing.served or monotonic() - listing.taken_at > MAX_AGE_S
            ):
                listing = None
            if listing is None:
                listing = _Listing(monotonic(), {job.id: job for job in client.fetch_all_job()})
            with self._lock:
                self._listings[key] = listing
                listing.served.add(job_id)
                self._marks.setdefault(key, _marks_of(listing.jobs.values()))
        job = listing.jobs.get(job_id)
        return job if job is not None else client.fetch_job(job_id)

    def marks(self, client: PowerJobClient) -> dict[int, str]:
        """The ownership mark of every live, marked job of the app, by id (one listing per
        operation)."""
        key = client.settings.key
        with self._lock:
            fetching = self._fetching.setdefault(key, threading.Lock())
        with fetching:
            with self._lock:
                marks = self._marks.get(key)
            if marks is None:
                marks = _marks_of(client.fetch_all_job())
                with self._lock:
                    self._marks[key] = marks
        return marks

    def marked(self, client: PowerJobClient, mark: str) -> list[int]:
        """Ids of the live jobs of the app that carry ``mark``."""
        return sorted(job_id for job_id, m in self.marks(client).items() if m == mark)

    def forget(self, client: PowerJobClient) -> None:
        """Drop the listing of this app (after a mutation made by this provider)."""
        with self._lock:
            self._listings.pop(client.settings.key, None)


def _marks_of(jobs: Iterable[JobInfoDTO]) -> dict[int, str]:
    return {j.id: str(j.extra) for j in jobs if not j.deleted and ownership.is_mark(j.extra)}
