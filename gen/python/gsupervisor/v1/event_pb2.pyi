from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gsupervisor.v1 import log_pb2 as _log_pb2
from gsupervisor.v1 import process_pb2 as _process_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EVENT_GAP_CAUSE_NOT_RETAINED: EventGapCause
EVENT_GAP_CAUSE_SLOW_SUBSCRIBER: EventGapCause
EVENT_GAP_CAUSE_UNSPECIFIED: EventGapCause
EVENT_TYPE_EVENT: EventType
EVENT_TYPE_PROCESS_COMMUNICATION: EventType
EVENT_TYPE_PROCESS_COMMUNICATION_STDERR: EventType
EVENT_TYPE_PROCESS_COMMUNICATION_STDOUT: EventType
EVENT_TYPE_PROCESS_GROUP: EventType
EVENT_TYPE_PROCESS_GROUP_ADDED: EventType
EVENT_TYPE_PROCESS_GROUP_REMOVED: EventType
EVENT_TYPE_PROCESS_HEALTH: EventType
EVENT_TYPE_PROCESS_HEALTH_CHANGED: EventType
EVENT_TYPE_PROCESS_LOG: EventType
EVENT_TYPE_PROCESS_LOG_STDERR: EventType
EVENT_TYPE_PROCESS_LOG_STDOUT: EventType
EVENT_TYPE_PROCESS_STATE: EventType
EVENT_TYPE_PROCESS_STATE_BACKOFF: EventType
EVENT_TYPE_PROCESS_STATE_EXITED: EventType
EVENT_TYPE_PROCESS_STATE_FATAL: EventType
EVENT_TYPE_PROCESS_STATE_RUNNING: EventType
EVENT_TYPE_PROCESS_STATE_STARTING: EventType
EVENT_TYPE_PROCESS_STATE_STOPPED: EventType
EVENT_TYPE_PROCESS_STATE_STOPPING: EventType
EVENT_TYPE_PROCESS_STATE_UNKNOWN: EventType
EVENT_TYPE_REMOTE_COMMUNICATION: EventType
EVENT_TYPE_SUPERVISOR_STATE_CHANGE: EventType
EVENT_TYPE_SUPERVISOR_STATE_CHANGE_RUNNING: EventType
EVENT_TYPE_SUPERVISOR_STATE_CHANGE_STOPPING: EventType
EVENT_TYPE_TICK: EventType
EVENT_TYPE_TICK_3600: EventType
EVENT_TYPE_TICK_5: EventType
EVENT_TYPE_TICK_60: EventType
EVENT_TYPE_UNSPECIFIED: EventType

class Event(_message.Message):
    __slots__ = ["name", "process_communication", "process_group", "process_health", "process_log", "process_state", "remote_communication", "serial", "supervisor_state_change", "tick", "time", "type"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROCESS_COMMUNICATION_FIELD_NUMBER: _ClassVar[int]
    PROCESS_GROUP_FIELD_NUMBER: _ClassVar[int]
    PROCESS_HEALTH_FIELD_NUMBER: _ClassVar[int]
    PROCESS_LOG_FIELD_NUMBER: _ClassVar[int]
    PROCESS_STATE_FIELD_NUMBER: _ClassVar[int]
    REMOTE_COMMUNICATION_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    SUPERVISOR_STATE_CHANGE_FIELD_NUMBER: _ClassVar[int]
    TICK_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    process_communication: ProcessCommunicationEvent
    process_group: ProcessGroupEvent
    process_health: ProcessHealthEvent
    process_log: ProcessLogEvent
    process_state: ProcessStateEvent
    remote_communication: RemoteCommunicationEvent
    serial: int
    supervisor_state_change: SupervisorStateChangeEvent
    tick: TickEvent
    time: _timestamp_pb2.Timestamp
    type: EventType
    def __init__(self, serial: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[_Union[EventType, str]] = ..., name: _Optional[str] = ..., process_state: _Optional[_Union[ProcessStateEvent, _Mapping]] = ..., process_log: _Optional[_Union[ProcessLogEvent, _Mapping]] = ..., process_communication: _Optional[_Union[ProcessCommunicationEvent, _Mapping]] = ..., remote_communication: _Optional[_Union[RemoteCommunicationEvent, _Mapping]] = ..., supervisor_state_change: _Optional[_Union[SupervisorStateChangeEvent, _Mapping]] = ..., process_group: _Optional[_Union[ProcessGroupEvent, _Mapping]] = ..., tick: _Optional[_Union[TickEvent, _Mapping]] = ..., process_health: _Optional[_Union[ProcessHealthEvent, _Mapping]] = ...) -> None: ...

class EventGap(_message.Message):
    __slots__ = ["cause", "first_serial", "last_serial"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    cause: EventGapCause
    first_serial: int
    last_serial: int
    def __init__(self, first_serial: _Optional[int] = ..., last_serial: _Optional[int] = ..., cause: _Optional[_Union[EventGapCause, str]] = ...) -> None: ...

class EventStreamReady(_message.Message):
    __slots__ = ["last_serial"]
    LAST_SERIAL_FIELD_NUMBER: _ClassVar[int]
    last_serial: int
    def __init__(self, last_serial: _Optional[int] = ...) -> None: ...

class ProcessCommunicationEvent(_message.Message):
    __slots__ = ["channel", "data", "group_name", "pid", "process_name"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    channel: _log_pb2.LogChannel
    data: bytes
    group_name: str
    pid: int
    process_name: str
    def __init__(self, process_name: _Optional[str] = ..., group_name: _Optional[str] = ..., pid: _Optional[int] = ..., channel: _Optional[_Union[_log_pb2.LogChannel, str]] = ..., data: _Optional[bytes] = ...) -> None: ...

class ProcessGroupEvent(_message.Message):
    __slots__ = ["group_name"]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    group_name: str
    def __init__(self, group_name: _Optional[str] = ...) -> None: ...

class ProcessHealthEvent(_message.Message):
    __slots__ = ["from_health", "group_name", "health", "output", "pid", "probe", "process_name"]
    FROM_HEALTH_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    from_health: _process_pb2.ProcessHealth
    group_name: str
    health: _process_pb2.ProcessHealth
    output: str
    pid: int
    probe: _process_pb2.ProbeType
    process_name: str
    def __init__(self, process_name: _Optional[str] = ..., group_name: _Optional[str] = ..., from_health: _Optional[_Union[_process_pb2.ProcessHealth, str]] = ..., health: _Optional[_Union[_process_pb2.ProcessHealth, str]] = ..., probe: _Optional[_Union[_process_pb2.ProbeType, str]] = ..., output: _Optional[str] = ..., pid: _Optional[int] = ...) -> None: ...

class ProcessLogEvent(_message.Message):
    __slots__ = ["channel", "data", "group_name", "pid", "process_name"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    channel: _log_pb2.LogChannel
    data: bytes
    group_name: str
    pid: int
    process_name: str
    def __init__(self, process_name: _Optional[str] = ..., group_name: _Optional[str] = ..., pid: _Optional[int] = ..., channel: _Optional[_Union[_log_pb2.LogChannel, str]] = ..., data: _Optional[bytes] = ...) -> None: ...

class ProcessStateEvent(_message.Message):
    __slots__ = ["expected", "from_state", "group_name", "pid", "process_name", "state", "tries"]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TRIES_FIELD_NUMBER: _ClassVar[int]
    expected: bool
    from_state: _process_pb2.ProcessState
    group_name: str
    pid: int
    process_name: str
    state: _process_pb2.ProcessState
    tries: int
    def __init__(self, process_name: _Optional[str] = ..., group_name: _Optional[str] = ..., from_state: _Optional[_Union[_process_pb2.ProcessState, str]] = ..., state: _Optional[_Union[_process_pb2.ProcessState, str]] = ..., expected: bool = ..., pid: _Optional[int] = ..., tries: _Optional[int] = ...) -> None: ...

class RemoteCommunicationEvent(_message.Message):
    __slots__ = ["data", "type"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    data: str
    type: str
    def __init__(self, type: _Optional[str] = ..., data: _Optional[str] = ...) -> None: ...

class SendRemoteCommEventRequest(_message.Message):
    __slots__ = ["data", "type"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    data: str
    type: str
    def __init__(self, type: _Optional[str] = ..., data: _Optional[str] = ...) -> None: ...

class SendRemoteCommEventResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SubscribeEventsRequest(_message.Message):
    __slots__ = ["after_serial", "groups", "processes", "types"]
    AFTER_SERIAL_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    PROCESSES_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_serial: int
    groups: _containers.RepeatedScalarFieldContainer[str]
    processes: _containers.RepeatedScalarFieldContainer[str]
    types: _containers.RepeatedScalarFieldContainer[EventType]
    def __init__(self, types: _Optional[_Iterable[_Union[EventType, str]]] = ..., processes: _Optional[_Iterable[str]] = ..., groups: _Optional[_Iterable[str]] = ..., after_serial: _Optional[int] = ...) -> None: ...

class SubscribeEventsResponse(_message.Message):
    __slots__ = ["event", "gap", "ready"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    event: Event
    gap: EventGap
    ready: EventStreamReady
    def __init__(self, event: _Optional[_Union[Event, _Mapping]] = ..., gap: _Optional[_Union[EventGap, _Mapping]] = ..., ready: _Optional[_Union[EventStreamReady, _Mapping]] = ...) -> None: ...

class SupervisorStateChangeEvent(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class TickEvent(_message.Message):
    __slots__ = ["when"]
    WHEN_FIELD_NUMBER: _ClassVar[int]
    when: int
    def __init__(self, when: _Optional[int] = ...) -> None: ...

class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EventGapCause(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
