"""``JobSpec``: what a user declares for a job, validated offline and kept canonical.

Canonical means: the form the server echoes back, so that a declaration and a read of the
same job compare equal field by field (no perpetual diffs). Empty strings and ``None`` are the
same; an all-default sub-config is ``None``; expressions are normalised per type.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pulumi_powerjob.models.enums import LogLevel, LogType
from pulumi_powerjob.reconcile.values import (
    INT32,
    Flag,
    Int32,
    Long,
    Number,
    text_or_whole,
    whole,
)
from pulumi_powerjob.validation.columns import (
    VARCHAR,
    java_length,
    joined_length,
    log_config_length,
    text_problem,
)
from pulumi_powerjob.validation.schedule import (
    check_fire_window,
    check_lifecycle,
    normalize_time_expression,
)

TimeExpressionTypeName = Literal[
    "API", "CRON", "FIXED_RATE", "FIXED_DELAY", "WORKFLOW", "DAILY_TIME_INTERVAL"
]
ExecuteTypeName = Literal["STANDALONE", "BROADCAST", "MAP_REDUCE", "MAP"]
ProcessorTypeName = Literal["BUILT_IN", "EXTERNAL", "SHELL", "PYTHON"]
DispatchStrategyName = Literal["HEALTH_FIRST", "RANDOM", "SPECIFY"]
LogTypeName = Literal["ONLINE", "LOCAL", "STDOUT", "LOCAL_AND_ONLINE", "NULL"]
LogLevelName = Literal["DEBUG", "INFO", "WARN", "ERROR", "OFF"]
TaskTrackerBehaviorName = Literal["NORMAL", "PADDLING"]


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value == "" else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def settle_time_expression(spec: Any, unknown: frozenset[str], reading: bool) -> None:
    """Put a spec's ``time_expression`` in canonical form for its type (jobs and workflows).

    A declaration that breaks the type's rule is refused; the server's own value is kept.
    """
    if {"time_expression", "time_expression_type"} & unknown:
        return
    kind, expression = spec.time_expression_type, spec.time_expression
    try:
        canonical = normalize_time_expression(kind, expression)
    except ValueError as exc:
        if not reading:
            raise ValueError(f"time_expression: {exc}") from None
        canonical = expression
    object.__setattr__(spec, "time_expression", canonical)


def _varchar(value: str, info: ValidationInfo) -> str:
    """H2's varchar(255) columns count UTF-16 code units (an emoji is two), the strictest rule
    of the databases tested (validation/columns.py)."""
    length = java_length(value)
    if length > VARCHAR and not (info.context or {}).get("read"):
        raise ValueError(
            f"must be at most {VARCHAR} characters, counted in UTF-16 code units as a "
            f"varchar({VARCHAR}) column on H2 does (an emoji counts 2); got {length}"
        )
    return value


def _unicode(value: str, info: ValidationInfo) -> str:
    """No lone surrogate (no UTF-8 request carries one), no NUL (PostgreSQL stores none)."""
    problem = text_problem(value)
    if problem is not None and not (info.context or {}).get("read"):
        raise ValueError(problem)
    return value


Text = Annotated[str, AfterValidator(_unicode)]
Varchar = Annotated[Text, AfterValidator(_varchar)]
Required = Annotated[str, Field(min_length=1), AfterValidator(_unicode), AfterValidator(_varchar)]
OptStr = Annotated[Text | None, BeforeValidator(_blank_to_none)]
Name255 = Annotated[Varchar | None, BeforeValidator(_blank_to_none)]


class SpecModel(BaseModel):
    """User-facing shapes: snake_case, typos rejected, values frozen once checked."""

    # use_attribute_docstrings: the docstring under each field is its description in the
    # plugin's schema (pulumi_powerjob/plugin/schema.py).
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, use_attribute_docstrings=True
    )


class LifecycleSpec(SpecModel):
    """When the job may fire, in epoch milliseconds; both ends optional."""

    start: Long | None = None
    """Epoch milliseconds before which the job never fires."""
    end: Long | None = None
    """Epoch milliseconds after which the job never fires; must be in the future."""

    @model_validator(mode="after")
    def _server_rules(self, info: ValidationInfo) -> LifecycleSpec:
        if not (info.context or {}).get("read"):
            check_lifecycle(self.start, self.end)
        return self


class AlarmConfigSpec(SpecModel):
    """Alert after ``alert_threshold`` failures in ``statistic_window_len`` seconds."""

    alert_threshold: Int32
    """Failures within the statistic window that raise an alert."""
    statistic_window_len: Int32
    """Seconds over which failures are counted."""
    silence_window_len: Int32
    """Seconds without a new alert after one was sent."""


class LogConfigSpec(SpecModel):
    """Where and at which level the job logs."""

    type: Annotated[LogTypeName, BeforeValidator(_upper)] | None = None
    """Where the logs go: ONLINE, LOCAL, STDOUT, LOCAL_AND_ONLINE or NULL."""
    level: Annotated[LogLevelName, BeforeValidator(_upper)] | None = None
    """The lowest level logged: DEBUG, INFO, WARN, ERROR or OFF."""
    logger_name: OptStr = None  # stored inside the log config's JSON text, see the job check
    """The logger's name (for LOCAL logs)."""


class AdvancedRuntimeConfigSpec(SpecModel):
    """Advanced runtime switches (MAP / MAP_REDUCE)."""

    task_tracker_behavior: Annotated[TaskTrackerBehaviorName, BeforeValidator(_upper)] | None = None
    """NORMAL, or PADDLING: the task tracker runs no task itself (MAP / MAP_REDUCE)."""


class JobSpec(SpecModel):
    """A PowerJob job as declared; every field of ``SaveJobInfoRequest`` but ``id``/``appId``."""

    job_name: Required
    """The job's name on the server; defaults to the resource name. Not unique in PowerJob."""
    job_description: Name255 = None
    """Free text shown in the console."""
    job_params: OptStr = None
    """Parameters handed to the processor (JSON by convention)."""
    time_expression_type: Annotated[TimeExpressionTypeName, BeforeValidator(_upper)]
    """The trigger: API, CRON, FIXED_RATE, FIXED_DELAY, WORKFLOW or DAILY_TIME_INTERVAL."""
    time_expression: Annotated[
        Text | None, BeforeValidator(lambda v: _blank_to_none(text_or_whole(v)))
    ] = None
    """Quartz cron (6 or 7 fields), a rate or delay in ms, or a daily-interval JSON."""
    execute_type: Annotated[ExecuteTypeName, BeforeValidator(_upper)] = "STANDALONE"
    """Where the job's tasks run: STANDALONE, BROADCAST, MAP or MAP_REDUCE."""
    processor_type: Annotated[ProcessorTypeName, BeforeValidator(_upper)] = "BUILT_IN"
    """The kind of processor: BUILT_IN, EXTERNAL, SHELL or PYTHON."""
    processor_info: Required
    """What runs: a processor class name, a bean name or a script."""
    max_instance_num: Int32 = 0
    """Most instances running at once; 0 means no limit."""
    concurrency: Annotated[int, whole(1, INT32)] = 5
    """Threads per worker."""
    instance_time_limit: Long = 0
    """Milliseconds an instance may run; 0 means no limit."""
    instance_retry_num: Int32 = 0
    """Retries of a failed instance."""
    task_retry_num: Int32 = 0
    """Retries of a failed task."""
    min_cpu_cores: Annotated[Number, Field(ge=0, allow_inf_nan=False)] = 0.0
    """Cores a worker must have free."""
    min_memory_space: Annotated[Number, Field(ge=0, allow_inf_nan=False)] = 0.0
    """GB of memory a worker must have free."""
    min_disk_space: Annotated[Number, Field(ge=0, allow_inf_nan=False)] = 0.0
    """GB of disk a worker must have free."""
    enabled: Flag = True
    """Whether the job is scheduled. Changing it is one saveJob."""
    designated_workers: Name255 = None
    """Comma list of worker addresses or tags allowed to run the job."""
    max_worker_count: Int32 = 0
    """Most workers taking part; 0 means no limit."""
    notify_user_ids: list[Long] = Field(default_factory=list)
    """Users alerted on failure."""
    extra: Name255 = None
    """Opaque extension data stored with the job."""
    dispatch_strategy: Annotated[
        DispatchStrategyName, BeforeValidator(lambda v: "HEALTH_FIRST" if v is None else _upper(v))
    ] = "HEALTH_FIRST"
    """How a worker is chosen: HEALTH_FIRST, RANDOM or SPECIFY."""
    dispatch_strategy_config: Name255 = None
    """For SPECIFY: tagIn:<tag>, tagEquals:<tag> or a list of addresses or tags."""
    lifecycle: LifecycleSpec | None = None
    """When the job may fire."""
    alarm_config: AlarmConfigSpec | None = None
    """When to alert; all three numbers are required."""
    tag: Name255 = None
    """A grouping label."""
    log_config: LogConfigSpec | None = None
    """Where and at which level the job logs."""
    advanced_runtime_config: AdvancedRuntimeConfigSpec | None = None
    """Advanced runtime switches."""

    @field_validator("notify_user_ids", mode="before")
    @classmethod
    def _no_null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("lifecycle", "alarm_config", "log_config", "advanced_runtime_config")
    @classmethod
    def _empty_is_none(cls, value: SpecModel | None) -> SpecModel | None:
        """An all-default sub-config is what the server shows when none was set."""
        if value is None:
            return None
        dumped = value.model_dump()
        if isinstance(value, AlarmConfigSpec):
            return None if not any(dumped.values()) else value
        return None if all(v is None for v in dumped.values()) else value

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> JobSpec:
        context = info.context or {}
        unknown: frozenset[str] = context.get("unknown", frozenset())
        reading = bool(context.get("read"))  # the server's word: canonicalise, never refuse
        settle_time_expression(self, unknown, reading)
        if reading:
            return self
        self._check_stored_lengths()
        if not {"time_expression", "time_expression_type", "lifecycle"} & unknown:
            lifecycle = self.lifecycle or LifecycleSpec()
            try:
                check_fire_window(
                    self.time_expression_type, self.time_expression, lifecycle.start, lifecycle.end
                )
            except ValueError as exc:
                raise ValueError(f"time_expression: {exc}") from None
        specify = self.dispatch_strategy == "SPECIFY" and "dispatch_strategy" not in unknown
        if (
            specify
            and "dispatch_strategy_config" not in unknown
            and not self.dispatch_strategy_config
        ):
            raise ValueError(
                "dispatch_strategy_config: is required when dispatch_strategy is SPECIFY"
            )
        return self

    def _check_stored_lengths(self) -> None:
        """Values whose stored form (not the value itself) must fit a varchar(255) column."""
        if self.time_expression and java_length(self.time_expression) > VARCHAR:
            raise ValueError(
                f"time_expression: must be at most {VARCHAR} characters once normalised "
                f"(varchar({VARCHAR}) column); got {java_length(self.time_expression)}"
            )
        if joined_length(self.notify_user_ids) > VARCHAR:
            raise ValueError(
                f"notify_user_ids: stored comma-joined in a varchar({VARCHAR}) column; "
                f"{joined_length(self.notify_user_ids)} characters is too long"
            )
        log = self.log_config
        if log is not None:
            stored = log_config_length(
                LogType[log.type] if log.type else None,
                LogLevel[log.level] if log.level else None,
                log.logger_name,
            )
            if stored > VARCHAR:
                raise ValueError(
                    f"log_config.logger_name: the log config is stored as JSON in a "
                    f"varchar({VARCHAR}) column; this one takes {stored} characters"
                )
