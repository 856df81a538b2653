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
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, ParamSpec, TypeVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, DiffResult, ResourceProvider
from pydantic import BaseModel, ValidationError
from typing_extensions import override

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.pool import client_for
from pulumi_powerjob.errors import ConfigurationError, PowerJobError
from pulumi_powerjob.providers import connection, ownership
from pulumi_powerjob.providers.listing import Listings
from pulumi_powerjob.providers.partial import judge_known_part
from pulumi_powerjob.providers.unknowns import is_marker, is_unknown, to_engine, to_marker

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
LIFECYCLE = ("check", "diff", "create", "read", "update", "delete")

PROVIDER_KEY = "__provider"
CONNECTION = "connection"
_CONFIG_KEYS = (
    "powerjob:address",
    "powerjob:appName",
    "powerjob:password",
    "powerjob:connectTimeout",
    "powerjob:readTimeout",
    "powerjob:caBundle",
    "powerjob:trustEnv",
    "powerjob:connections",
)


def failures_of(exc: ValidationError, unknown: frozenset[str]) -> list[CheckFailure]:
    """One ``CheckFailure(field, rule)`` per pydantic error, skipping unknown fields."""
    failures = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = [str(p) for p in err["loc"]]
        message = str(err["msg"]).removeprefix("Value error, ")
        if not loc and ": " in message:  # cross-field rules name their field first
            field, message = message.split(": ", 1)
            loc = field.split(".")
        if loc and loc[0] in unknown:
            continue
        if err["type"] == "extra_forbidden":
            message = "is not a known property"
        elif err["type"] == "missing":
            message = "is required"
        failures.append(CheckFailure(".".join(loc) or "inputs", message))
    return failures


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
        self._listings = Listings()  # one per engine operation: see providers/listing.py

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
        extras = {k: values.pop(k) for k in self.extra_inputs if k in values}
        if extras.get(CONNECTION) in (None, ""):
            extras[CONNECTION] = connection.DEFAULT
        # A value with an unknown inside it is judged on its own, as far as it is known;
        # the rules across fields then treat it as unknown as a whole.
        unknown = frozenset(k for k, v in values.items() if is_unknown(v))
        failures = [
            failure
            for k in sorted(unknown)
            if not is_marker(values[k])
            for failure in judge_known_part(self.spec_model, k, values[k])
        ]
        known = {k: v for k, v in values.items() if k not in unknown}
        known.update(self.placeholders(unknown))
        try:
            spec = self.spec_model.model_validate(known, context={"unknown": unknown})
        except ValidationError as exc:
            return {**values, **extras}, failures + failures_of(exc, unknown)
        if failures:
            return {**values, **extras}, failures
        canonical = spec.model_dump(mode="json")
        canonical.update({k: values[k] for k in unknown if k in values})
        return {**canonical, **extras}, []

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
        keys = (*self.spec_keys(), CONNECTION)
        changed = [
            k
            for k in keys
            if k not in self.not_diffed
            and (is_unknown(news.get(k)) or _canon(olds.get(k), k) != _canon(news.get(k), k))
        ]
        replaces = [k for k in changed if k in self.replace_on]
        log.debug("diff %s: changed %s", _id, changed)
        # Always delete first, for `up --replace` too: two live copies of a scheduled job
        # would both fire, and a create looks for its resource's earlier object (ownership)
        # and must not find the one it replaces.
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)


def _canon(value: Any, key: str) -> Any:
    if key == CONNECTION and value in (None, ""):
        return connection.DEFAULT
    return value
