from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gsupervisor.v1 import errors_pb2 as _errors_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

BACKOFF_POLICY_EXPONENTIAL: BackoffPolicy
BACKOFF_POLICY_LINEAR: BackoffPolicy
BACKOFF_POLICY_UNSPECIFIED: BackoffPolicy
DEPENDENCY_CONDITION_COMPLETED: DependencyCondition
DEPENDENCY_CONDITION_HEALTHY: DependencyCondition
DEPENDENCY_CONDITION_RUNNING: DependencyCondition
DEPENDENCY_CONDITION_STARTED: DependencyCondition
DEPENDENCY_CONDITION_UNSPECIFIED: DependencyCondition
DESCRIPTOR: _descriptor.FileDescriptor
LISTENER_STATE_ACKNOWLEDGED: ListenerState
LISTENER_STATE_BUSY: ListenerState
LISTENER_STATE_READY: ListenerState
LISTENER_STATE_UNKNOWN: ListenerState
LISTENER_STATE_UNSPECIFIED: ListenerState
LIVENESS_ACTION_REPORT: LivenessAction
LIVENESS_ACTION_RESTART: LivenessAction
LIVENESS_ACTION_UNSPECIFIED: LivenessAction
PROBE_KIND_EXEC: ProbeKind
PROBE_KIND_HTTP: ProbeKind
PROBE_KIND_LOG: ProbeKind
PROBE_KIND_TCP: ProbeKind
PROBE_KIND_UNSPECIFIED: ProbeKind
PROBE_TYPE_LIVENESS: ProbeType
PROBE_TYPE_READINESS: ProbeType
PROBE_TYPE_UNSPECIFIED: ProbeType
PROCESS_HEALTH_HEALTHY: ProcessHealth
PROCESS_HEALTH_STARTING: ProcessHealth
PROCESS_HEALTH_UNHEALTHY: ProcessHealth
PROCESS_HEALTH_UNKNOWN: ProcessHealth
PROCESS_HEALTH_UNSPECIFIED: ProcessHealth
PROCESS_STATE_BACKOFF: ProcessState
PROCESS_STATE_EXITED: ProcessState
PROCESS_STATE_FATAL: ProcessState
PROCESS_STATE_RUNNING: ProcessState
PROCESS_STATE_STARTING: ProcessState
PROCESS_STATE_STOPPED: ProcessState
PROCESS_STATE_STOPPING: ProcessState
PROCESS_STATE_UNKNOWN: ProcessState
PROCESS_STATE_UNSPECIFIED: ProcessState
PROGRAM_KIND_EVENT_LISTENER: ProgramKind
PROGRAM_KIND_FCGI_PROGRAM: ProgramKind
PROGRAM_KIND_PROGRAM: ProgramKind
PROGRAM_KIND_UNSPECIFIED: ProgramKind

class ChannelConfig(_message.Message):
    __slots__ = ["capture_maxbytes", "events_enabled", "logfile", "logfile_backups", "logfile_maxbytes", "syslog"]
    CAPTURE_MAXBYTES_FIELD_NUMBER: _ClassVar[int]
    EVENTS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    LOGFILE_BACKUPS_FIELD_NUMBER: _ClassVar[int]
    LOGFILE_FIELD_NUMBER: _ClassVar[int]
    LOGFILE_MAXBYTES_FIELD_NUMBER: _ClassVar[int]
    SYSLOG_FIELD_NUMBER: _ClassVar[int]
    capture_maxbytes: int
    events_enabled: bool
    logfile: str
    logfile_backups: int
    logfile_maxbytes: int
    syslog: bool
    def __init__(self, logfile: _Optional[str] = ..., logfile_maxbytes: _Optional[int] = ..., logfile_backups: _Optional[int] = ..., capture_maxbytes: _Optional[int] = ..., events_enabled: bool = ..., syslog: bool = ...) -> None: ...

class Dependency(_message.Message):
    __slots__ = ["condition", "name"]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    condition: DependencyCondition
    name: str
    def __init__(self, name: _Optional[str] = ..., condition: _Optional[_Union[DependencyCondition, str]] = ...) -> None: ...

class DisableProgramRequest(_message.Message):
    __slots__ = ["name", "wait"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    wait: bool
    def __init__(self, name: _Optional[str] = ..., wait: bool = ...) -> None: ...

class DisableProgramResponse(_message.Message):
    __slots__ = ["programs", "stop_results"]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    STOP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    programs: _containers.RepeatedScalarFieldContainer[str]
    stop_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, programs: _Optional[_Iterable[str]] = ..., stop_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class EnableProgramRequest(_message.Message):
    __slots__ = ["name", "wait"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    wait: bool
    def __init__(self, name: _Optional[str] = ..., wait: bool = ...) -> None: ...

class EnableProgramResponse(_message.Message):
    __slots__ = ["programs", "start_results"]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    START_RESULTS_FIELD_NUMBER: _ClassVar[int]
    programs: _containers.RepeatedScalarFieldContainer[str]
    start_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, programs: _Optional[_Iterable[str]] = ..., start_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class GetProcessRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetProcessResponse(_message.Message):
    __slots__ = ["process"]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class ListProcessConfigsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListProcessConfigsResponse(_message.Message):
    __slots__ = ["configs"]
    CONFIGS_FIELD_NUMBER: _ClassVar[int]
    configs: _containers.RepeatedCompositeFieldContainer[ProcessConfig]
    def __init__(self, configs: _Optional[_Iterable[_Union[ProcessConfig, _Mapping]]] = ...) -> None: ...

class ListProcessesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListProcessesResponse(_message.Message):
    __slots__ = ["processes"]
    PROCESSES_FIELD_NUMBER: _ClassVar[int]
    processes: _containers.RepeatedCompositeFieldContainer[ProcessInfo]
    def __init__(self, processes: _Optional[_Iterable[_Union[ProcessInfo, _Mapping]]] = ...) -> None: ...

class LogStats(_message.Message):
    __slots__ = ["dropped_bytes", "last_drop_error", "rotation_failures", "rotations", "written_bytes"]
    DROPPED_BYTES_FIELD_NUMBER: _ClassVar[int]
    LAST_DROP_ERROR_FIELD_NUMBER: _ClassVar[int]
    ROTATIONS_FIELD_NUMBER: _ClassVar[int]
    ROTATION_FAILURES_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_BYTES_FIELD_NUMBER: _ClassVar[int]
    dropped_bytes: int
    last_drop_error: str
    rotation_failures: int
    rotations: int
    written_bytes: int
    def __init__(self, written_bytes: _Optional[int] = ..., dropped_bytes: _Optional[int] = ..., rotations: _Optional[int] = ..., rotation_failures: _Optional[int] = ..., last_drop_error: _Optional[str] = ...) -> None: ...

class ProbeConfig(_message.Message):
    __slots__ = ["failure_threshold", "initial_delay", "kind", "period", "spec", "success_threshold", "target", "timeout"]
    FAILURE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    INITIAL_DELAY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    failure_threshold: int
    initial_delay: _duration_pb2.Duration
    kind: ProbeKind
    period: _duration_pb2.Duration
    spec: str
    success_threshold: int
    target: str
    timeout: _duration_pb2.Duration
    def __init__(self, spec: _Optional[str] = ..., kind: _Optional[_Union[ProbeKind, str]] = ..., target: _Optional[str] = ..., initial_delay: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., period: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., success_threshold: _Optional[int] = ..., failure_threshold: _Optional[int] = ...) -> None: ...

class ProbeResult(_message.Message):
    __slots__ = ["duration", "output", "passed", "probe", "time"]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    duration: _duration_pb2.Duration
    output: str
    passed: bool
    probe: ProbeType
    time: _timestamp_pb2.Timestamp
    def __init__(self, probe: _Optional[_Union[ProbeType, str]] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., passed: bool = ..., output: _Optional[str] = ...) -> None: ...

class ProcessConfig(_message.Message):
    __slots__ = ["autostart", "backoff", "backoff_max_secs", "command", "depends_on", "directory", "exit_codes", "file_numprocs", "group", "group_priority", "in_use", "kill_as_group", "kind", "liveness_action", "liveness_probe", "name", "numprocs", "process_num", "process_priority", "readiness_probe", "redirect_stderr", "server_url", "start_retries", "start_secs", "stderr", "stdout", "stop_as_group", "stop_signal", "stop_wait_secs", "uid"]
    AUTOSTART_FIELD_NUMBER: _ClassVar[int]
    BACKOFF_FIELD_NUMBER: _ClassVar[int]
    BACKOFF_MAX_SECS_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    DEPENDS_ON_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODES_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    GROUP_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    IN_USE_FIELD_NUMBER: _ClassVar[int]
    KILL_AS_GROUP_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_ACTION_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_PROBE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NUM_FIELD_NUMBER: _ClassVar[int]
    PROCESS_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    READINESS_PROBE_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STDERR_FIELD_NUMBER: _ClassVar[int]
    SERVER_URL_FIELD_NUMBER: _ClassVar[int]
    START_RETRIES_FIELD_NUMBER: _ClassVar[int]
    START_SECS_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STOP_AS_GROUP_FIELD_NUMBER: _ClassVar[int]
    STOP_SIGNAL_FIELD_NUMBER: _ClassVar[int]
    STOP_WAIT_SECS_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    autostart: bool
    backoff: BackoffPolicy
    backoff_max_secs: int
    command: str
    depends_on: _containers.RepeatedCompositeFieldContainer[Dependency]
    directory: str
    exit_codes: _containers.RepeatedScalarFieldContainer[int]
    file_numprocs: int
    group: str
    group_priority: int
    in_use: bool
    kill_as_group: bool
    kind: ProgramKind
    liveness_action: LivenessAction
    liveness_probe: ProbeConfig
    name: str
    numprocs: int
    process_num: int
    process_priority: int
    readiness_probe: ProbeConfig
    redirect_stderr: bool
    server_url: str
    start_retries: int
    start_secs: int
    stderr: ChannelConfig
    stdout: ChannelConfig
    stop_as_group: bool
    stop_signal: int
    stop_wait_secs: int
    uid: int
    def __init__(self, name: _Optional[str] = ..., group: _Optional[str] = ..., in_use: bool = ..., group_priority: _Optional[int] = ..., process_priority: _Optional[int] = ..., autostart: bool = ..., command: _Optional[str] = ..., directory: _Optional[str] = ..., uid: _Optional[int] = ..., exit_codes: _Optional[_Iterable[int]] = ..., kill_as_group: bool = ..., stop_as_group: bool = ..., redirect_stderr: bool = ..., start_retries: _Optional[int] = ..., start_secs: _Optional[int] = ..., stop_signal: _Optional[int] = ..., stop_wait_secs: _Optional[int] = ..., stdout: _Optional[_Union[ChannelConfig, _Mapping]] = ..., stderr: _Optional[_Union[ChannelConfig, _Mapping]] = ..., server_url: _Optional[str] = ..., kind: _Optional[_Union[ProgramKind, str]] = ..., process_num: _Optional[int] = ..., numprocs: _Optional[int] = ..., file_numprocs: _Optional[int] = ..., readiness_probe: _Optional[_Union[ProbeConfig, _Mapping]] = ..., liveness_probe: _Optional[_Union[ProbeConfig, _Mapping]] = ..., liveness_action: _Optional[_Union[LivenessAction, str]] = ..., depends_on: _Optional[_Iterable[_Union[Dependency, _Mapping]]] = ..., backoff: _Optional[_Union[BackoffPolicy, str]] = ..., backoff_max_secs: _Optional[int] = ...) -> None: ...

class ProcessInfo(_message.Message):
    __slots__ = ["description", "disabled", "exit_expected", "exit_status", "group", "health", "last_probe", "listener_state", "name", "namespec", "next_attempt_time", "now", "pid", "spawn_error", "start_time", "state", "stderr_log_stats", "stderr_logfile", "stdout_log_stats", "stdout_logfile", "stop_time", "waiting"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    EXIT_EXPECTED_FIELD_NUMBER: _ClassVar[int]
    EXIT_STATUS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    LAST_PROBE_FIELD_NUMBER: _ClassVar[int]
    LISTENER_STATE_FIELD_NUMBER: _ClassVar[int]
    NAMESPEC_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    SPAWN_ERROR_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STDERR_LOGFILE_FIELD_NUMBER: _ClassVar[int]
    STDERR_LOG_STATS_FIELD_NUMBER: _ClassVar[int]
    STDOUT_LOGFILE_FIELD_NUMBER: _ClassVar[int]
    STDOUT_LOG_STATS_FIELD_NUMBER: _ClassVar[int]
    STOP_TIME_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    description: str
    disabled: bool
    exit_expected: bool
    exit_status: int
    group: str
    health: ProcessHealth
    last_probe: ProbeResult
    listener_state: ListenerState
    name: str
    namespec: str
    next_attempt_time: _timestamp_pb2.Timestamp
    now: _timestamp_pb2.Timestamp
    pid: int
    spawn_error: str
    start_time: _timestamp_pb2.Timestamp
    state: ProcessState
    stderr_log_stats: LogStats
    stderr_logfile: str
    stdout_log_stats: LogStats
    stdout_logfile: str
    stop_time: _timestamp_pb2.Timestamp
    waiting: str
    def __init__(self, name: _Optional[str] = ..., group: _Optional[str] = ..., namespec: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., stop_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., now: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[ProcessState, str]] = ..., spawn_error: _Optional[str] = ..., exit_status: _Optional[int] = ..., stdout_logfile: _Optional[str] = ..., stderr_logfile: _Optional[str] = ..., pid: _Optional[int] = ..., description: _Optional[str] = ..., listener_state: _Optional[_Union[ListenerState, str]] = ..., exit_expected: bool = ..., health: _Optional[_Union[ProcessHealth, str]] = ..., last_probe: _Optional[_Union[ProbeResult, _Mapping]] = ..., disabled: bool = ..., waiting: _Optional[str] = ..., next_attempt_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., stdout_log_stats: _Optional[_Union[LogStats, _Mapping]] = ..., stderr_log_stats: _Optional[_Union[LogStats, _Mapping]] = ...) -> None: ...

class ProcessResult(_message.Message):
    __slots__ = ["description", "group", "name", "reason"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    description: str
    group: str
    name: str
    reason: _errors_pb2.ErrorReason
    def __init__(self, name: _Optional[str] = ..., group: _Optional[str] = ..., reason: _Optional[_Union[_errors_pb2.ErrorReason, str]] = ..., description: _Optional[str] = ...) -> None: ...

class RestartAllProcessesRequest(_message.Message):
    __slots__ = ["wait"]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    wait: bool
    def __init__(self, wait: bool = ...) -> None: ...

class RestartAllProcessesResponse(_message.Message):
    __slots__ = ["start_results", "stop_results"]
    START_RESULTS_FIELD_NUMBER: _ClassVar[int]
    STOP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    start_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    stop_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, stop_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ..., start_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class RestartProcessGroupRequest(_message.Message):
    __slots__ = ["group", "wait"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    group: str
    wait: bool
    def __init__(self, group: _Optional[str] = ..., wait: bool = ...) -> None: ...

class RestartProcessGroupResponse(_message.Message):
    __slots__ = ["start_results", "stop_results"]
    START_RESULTS_FIELD_NUMBER: _ClassVar[int]
    STOP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    start_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    stop_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, stop_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ..., start_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class RestartProcessRequest(_message.Message):
    __slots__ = ["name", "wait"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    wait: bool
    def __init__(self, name: _Optional[str] = ..., wait: bool = ...) -> None: ...

class RestartProcessResponse(_message.Message):
    __slots__ = ["process"]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class ScaleProgramRequest(_message.Message):
    __slots__ = ["name", "numprocs", "stop_timeout"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    STOP_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    name: str
    numprocs: int
    stop_timeout: _duration_pb2.Duration
    def __init__(self, name: _Optional[str] = ..., numprocs: _Optional[int] = ..., stop_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ScaleProgramResponse(_message.Message):
    __slots__ = ["file_numprocs", "group", "numprocs", "previous_numprocs", "start_results", "stop_results"]
    FILE_NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_NUMPROCS_FIELD_NUMBER: _ClassVar[int]
    START_RESULTS_FIELD_NUMBER: _ClassVar[int]
    STOP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    file_numprocs: int
    group: str
    numprocs: int
    previous_numprocs: int
    start_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    stop_results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, group: _Optional[str] = ..., previous_numprocs: _Optional[int] = ..., numprocs: _Optional[int] = ..., file_numprocs: _Optional[int] = ..., stop_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ..., start_results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class SignalAllProcessesRequest(_message.Message):
    __slots__ = ["signal"]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    signal: str
    def __init__(self, signal: _Optional[str] = ...) -> None: ...

class SignalAllProcessesResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class SignalProcessGroupRequest(_message.Message):
    __slots__ = ["group", "signal"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    group: str
    signal: str
    def __init__(self, group: _Optional[str] = ..., signal: _Optional[str] = ...) -> None: ...

class SignalProcessGroupResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class SignalProcessRequest(_message.Message):
    __slots__ = ["name", "signal"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    name: str
    signal: str
    def __init__(self, name: _Optional[str] = ..., signal: _Optional[str] = ...) -> None: ...

class SignalProcessResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StartAllProcessesRequest(_message.Message):
    __slots__ = ["wait"]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    wait: bool
    def __init__(self, wait: bool = ...) -> None: ...

class StartAllProcessesResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class StartProcessGroupRequest(_message.Message):
    __slots__ = ["group", "wait"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    group: str
    wait: bool
    def __init__(self, group: _Optional[str] = ..., wait: bool = ...) -> None: ...

class StartProcessGroupResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class StartProcessRequest(_message.Message):
    __slots__ = ["name", "wait"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    wait: bool
    def __init__(self, name: _Optional[str] = ..., wait: bool = ...) -> None: ...

class StartProcessResponse(_message.Message):
    __slots__ = ["process", "started_dependencies"]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    STARTED_DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    started_dependencies: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ..., started_dependencies: _Optional[_Iterable[str]] = ...) -> None: ...

class StopAllProcessesRequest(_message.Message):
    __slots__ = ["wait"]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    wait: bool
    def __init__(self, wait: bool = ...) -> None: ...

class StopAllProcessesResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class StopProcessGroupRequest(_message.Message):
    __slots__ = ["group", "wait"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    group: str
    wait: bool
    def __init__(self, group: _Optional[str] = ..., wait: bool = ...) -> None: ...

class StopProcessGroupResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ProcessResult, _Mapping]]] = ...) -> None: ...

class StopProcessRequest(_message.Message):
    __slots__ = ["name", "wait"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    wait: bool
    def __init__(self, name: _Optional[str] = ..., wait: bool = ...) -> None: ...

class StopProcessResponse(_message.Message):
    __slots__ = ["process"]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class WriteProcessStdinRequest(_message.Message):
    __slots__ = ["data", "name"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    name: str
    def __init__(self, name: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class WriteProcessStdinResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ProcessHealth(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProbeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProcessState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ListenerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProbeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class LivenessAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class BackoffPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DependencyCondition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProgramKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
