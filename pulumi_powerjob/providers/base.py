"""What every PowerJob dynamic provider shares: config, offline check, explicit diff.

Providers are stateless when pickled (nothing is set in ``__init__``); connection settings
arrive in ``configure()`` and clients are built lazily, per process. ``check`` and ``diff``
never touch the network, so a pull-request preview works without credentials.

The engine shows what a provider raises as the dynamic-provider host formats it: the whole
traceback, useful line last. Every lifecycle method is therefore wrapped (``short_errors``):
a ``PowerJobError`` leaves it as the same exception raised afresh from that shallow frame,
with no "During handling..." section, after a first line that is its message alone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, ParamSpec, TypeVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, DiffResult, ResourceProvider
from pydantic import BaseModel, ValidationError
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.pool import client_for
from pulumi_powerjob.errors import ConfigurationError, PowerJobError
from pulumi_powerjob.providers.unknowns import is_unknown, to_engine, to_marker
from pulumi_powerjob.reconcile import check, connection, ownership
from pulumi_powerjob.reconcile.failures import Failure
from pulumi_powerjob.reconcile.failures import failures_of as core_failures_of
from pulumi_powerjob.reconcile.keys import CONNECTION as CONNECTION
from pulumi_powerjob.reconcile.listing import Listings

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
LIFECYCLE = ("check", "diff", "create", "read", "update", "delete")

PROVIDER_KEY = "__provider"
_CONFIG_KEYS = (*(f"powerjob:{key}" for key in connection.KEYS), "powerjob:connections")
"""The stack config a provider keeps: every connection key (one list, ``connection.KEYS``, so
that none is dropped: ``reconcileTimeout`` once was, and its default applied instead)."""


def failures_of(exc: ValidationError, unknown: frozenset[str]) -> list[CheckFailure]:
    """One ``CheckFailure(field, rule)`` per pydantic error, skipping unknown fields."""
    return engine_failures(core_failures_of(exc, unknown))


def engine_failures(failures: Iterable[Failure]) -> list[CheckFailure]:
    """The core's failures as the engine takes them."""
    return [CheckFailure(f.property, f.reason) for f in failures]


def headline(message: str) -> Exception:
    """An exception, never raised, that the traceback module prints as ``message`` alone.

    As the cause of the error a provider raises, it is the first line of the host's text:
    a class named after the message, in ``builtins`` (so no module is prefixed), with no args.
    """
    shown: type[Exception] = type(message, (Exception,), {"__module__": "builtins"})
    return shown()


def short_errors(method: Callable[P, R]) -> Callable[P, R]:
    """``method`` whose ``PowerJobError`` reaches the host with the least traceback."""
    if getattr(method, "__short_errors__", False):
        return method

    @functools.wraps(method)
    def lifecycle(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except PowerJobError as exc:
            error = exc
        # Raised outside the except block: nothing to chain but the headline.
        error.__context__ = None
        raise error.with_traceback(None) from headline(str(error))

    lifecycle.__short_errors__ = True  # type: ignore[attr-defined]
    return lifecycle


def profile_failures(provider: ResourceProvider, news: Mapping[str, Any]) -> list[CheckFailure]:
    """The resource's connection profile as stack config declares it, judged offline: a
    misspelt key is refused at preview, not dropped."""
    profile = news.get(CONNECTION)
    if not isinstance(profile, str) or profile in ("", connection.DEFAULT) or is_unknown(profile):
        return []  # the default profile, or a name not known until apply
    try:
        connection.profile_entry(profile, getattr(provider, "_config", {}))
    except ConfigurationError as exc:
        return [CheckFailure(CONNECTION, str(exc))]
    return []


def _with_profile_check(
    check: Callable[[Any, dict[str, Any], dict[str, Any]], CheckResult],
) -> Callable[[Any, dict[str, Any], dict[str, Any]], CheckResult]:
    if getattr(check, "__profile_checked__", False):
        return check

    @functools.wraps(check)
    def checked(self: Any, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = check(self, olds, news)
        failures = list(result.failures or [])
        seen = {(f.property, f.reason) for f in failures}
        for failure in profile_failures(self, news):
            if (failure.property, failure.reason) not in seen:
                failures.append(failure)
        return CheckResult(result.inputs, failures)

    checked.__profile_checked__ = True  # type: ignore[attr-defined]
    return checked


class PowerJobProvider(ResourceProvider):
    """Shared behaviour; subclasses name their spec and the keys that are not spec."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "check" in cls.__dict__:
            cls.check = _with_profile_check(cls.__dict__["check"])  # type: ignore[method-assign]
        for name in LIFECYCLE:
            if name in cls.__dict__:
                setattr(cls, name, short_errors(cls.__dict__[name]))

    serialize_as_secret_always = False  # no attribute is ever pickled: nothing to hide
    spec_model: ClassVar[type[BaseModel]]
    extra_inputs: ClassVar[tuple[str, ...]] = (CONNECTION,)
    replace_on: ClassVar[frozenset[str]] = frozenset({CONNECTION})
    not_diffed: ClassVar[frozenset[str]] = frozenset()

    @override
    def configure(self, req: ConfigureRequest) -> None:
        values = {key: req.config.get(key) for key in _CONFIG_KEYS}
        self._config = {k: v for k, v in values.items() if v is not None}
        self._listings = Listings()  # one per engine operation: see reconcile/listing.py

    @property
    def listings(self) -> Listings:
        """The job listings of this operation (made here when ``configure()`` was not called)."""
        if getattr(self, "_listings", None) is None:
            self._listings = Listings()
        return self._listings

    def client(self, profile: str | None) -> PowerJobClient:
        """The process-wide client for a connection profile (built on first use)."""
        config = getattr(self, "_config", {})
        return client_for(connection.resolve(profile or connection.DEFAULT, config))

    def spec_keys(self) -> tuple[str, ...]:
        return tuple(self.spec_model.model_fields)

    def validate(self, props: Mapping[str, Any]) -> tuple[dict[str, Any], list[CheckFailure]]:
        """Canonical inputs and the failures; unknown values are kept and not judged."""
        values = {k: v for k, v in props.items() if k != PROVIDER_KEY}
        unknown = frozenset(k for k, v in values.items() if is_unknown(v))
        stand_ins = self.placeholders(unknown)
        inputs, failures = check.validate(self.spec_model, values, self.extra_inputs, stand_ins)
        return inputs, engine_failures(failures)

    def placeholders(self, unknown: frozenset[str]) -> dict[str, Any]:
        """Stand-ins for unknown required fields, so the known ones can still be checked."""
        return {}

    @override
    @short_errors
    @_with_profile_check
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = self.validate(to_marker(ownership.as_created(_olds, news)))
        return CheckResult(to_engine(inputs), failures)

    @override
    @short_errors
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        olds, news = to_marker(olds), to_marker(news)
        keys = tuple(k for k in (*self.spec_keys(), CONNECTION) if k not in self.not_diffed)
        changed = check.changed_keys(keys, olds, news)
        replaces = [k for k in changed if k in self.replace_on]
        log.debug("diff %s: changed %s", _id, changed)
        # Always delete first, for `up --replace` too: two live copies of a scheduled job
        # would both fire, and a create looks for its resource's earlier object (ownership)
        # and must not find the one it replaces.
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)
