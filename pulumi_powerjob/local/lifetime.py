"""One home for the ``with`` form of every local process we start (server, database, daemon)."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Lifetime:
    """``start()`` on entering and ``close()`` on leaving; a ``start()`` that fails part-way is
    closed too, so nothing it started is left running."""

    def start(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
