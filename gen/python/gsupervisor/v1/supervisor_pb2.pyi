from gsupervisor.v1 import process_pb2 as _process_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SUPERVISOR_STATE_FATAL: SupervisorState
SUPERVISOR_STATE_RESTARTING: SupervisorState
SUPERVISOR_STATE_RUNNING: SupervisorState
SUPERVISOR_STATE_SHUTDOWN: SupervisorState
SUPERVISOR_STATE_UNSPECIFIED: SupervisorState

class GetIdentificationRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetIdentificationResponse(_message.Message):
    __slots__ = ["identifier"]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    def __init__(self, identifier: _Optional[str] = ...) -> None: ...

class GetPIDRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetPIDResponse(_message.Message):
    __slots__ = ["pid"]
    PID_FIELD_NUMBER: _ClassVar[int]
    pid: int
    def __init__(self, pid: _Optional[int] = ...) -> None: ...

class GetStateRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStateResponse(_message.Message):
    __slots__ = ["main_log_stats", "state"]
    MAIN_LOG_STATS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    main_log_stats: _process_pb2.LogStats
    state: SupervisorState
    def __init__(self, state: _Optional[_Union[SupervisorState, str]] = ..., main_log_stats: _Optional[_Union[_process_pb2.LogStats, _Mapping]] = ...) -> None: ...

class GetVersionRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetVersionResponse(_message.Message):
    __slots__ = ["api_version", "daemon_version", "supervisor_version"]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    DAEMON_VERSION_FIELD_NUMBER: _ClassVar[int]
    SUPERVISOR_VERSION_FIELD_NUMBER: _ClassVar[int]
    api_version: str
    daemon_version: str
    supervisor_version: str
    def __init__(self, api_version: _Optional[str] = ..., supervisor_version: _Optional[str] = ..., daemon_version: _Optional[str] = ...) -> None: ...

class RestartRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RestartResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ShutdownRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ShutdownResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SupervisorState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
