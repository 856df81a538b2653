"""PowerJob enums with their codes (reference §3.7). Members are named as on the wire."""

from __future__ import annotations

from enum import IntEnum


class TimeExpressionType(IntEnum):
    """How a job or workflow is triggered."""

    API = 1
    CRON = 2
    FIXED_RATE = 3
    FIXED_DELAY = 4
    WORKFLOW = 5
    DAILY_TIME_INTERVAL = 11


class ExecuteType(IntEnum):
    """Where a job's tasks run."""

    STANDALONE = 1
    BROADCAST = 2
    MAP_REDUCE = 3
    MAP = 4


class ProcessorType(IntEnum):
    """What kind of processor runs the job."""

    BUILT_IN = 1
    SHELL = 2
    PYTHON = 3
    EXTERNAL = 4


class DispatchStrategy(IntEnum):
    """How a worker is chosen."""

    HEALTH_FIRST = 1
    RANDOM = 2
    SPECIFY = 11


class SwitchableStatus(IntEnum):
    """Status of a job or workflow."""

    ENABLE = 1
    DISABLE = 2
    DELETED = 99


class WorkflowNodeType(IntEnum):
    """Kind of a workflow node."""

    JOB = 1
    DECISION = 2
    NESTED_WORKFLOW = 3


class LogType(IntEnum):
    """Where a job's logs go."""

    ONLINE = 1
    LOCAL = 2
    STDOUT = 3
    LOCAL_AND_ONLINE = 4
    NULL = 999


class LogLevel(IntEnum):
    """Minimum level of a job's logs."""

    DEBUG = 1
    INFO = 2
    WARN = 3
    ERROR = 4
    OFF = 99


class TaskTrackerBehavior(IntEnum):
    """Whether the task tracker also runs tasks (MAP / MAP_REDUCE)."""

    NORMAL = 1
    PADDLING = 11


class InstanceStatus(IntEnum):
    """Status of a job instance."""

    WAITING_DISPATCH = 1
    WAITING_WORKER_RECEIVE = 2
    RUNNING = 3
    FAILED = 4
    SUCCEED = 5
    CANCELED = 9
    STOPPED = 10


class WorkflowInstanceStatus(IntEnum):
    """Status of a workflow instance."""

    WAITING = 1
    RUNNING = 2
    FAILED = 3
    SUCCEED = 4
    STOPPED = 10
