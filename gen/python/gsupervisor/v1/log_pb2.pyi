from gsupervisor.v1 import process_pb2 as _process_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
LOG_CHANNEL_STDERR: LogChannel
LOG_CHANNEL_STDOUT: LogChannel
LOG_CHANNEL_UNSPECIFIED: LogChannel
LOG_RESTART_CAUSE_ROTATED: LogRestartCause
LOG_RESTART_CAUSE_TRUNCATED: LogRestartCause
LOG_RESTART_CAUSE_UNSPECIFIED: LogRestartCause

class ClearAllProcessLogsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ClearAllProcessLogsResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[_process_pb2.ProcessResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_process_pb2.ProcessResult, _Mapping]]] = ...) -> None: ...

class ClearMainLogRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ClearMainLogResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ClearProcessLogsRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ClearProcessLogsResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class FollowMainLogRequest(_message.Message):
    __slots__ = ["tail_bytes"]
    TAIL_BYTES_FIELD_NUMBER: _ClassVar[int]
    tail_bytes: int
    def __init__(self, tail_bytes: _Optional[int] = ...) -> None: ...

class FollowMainLogResponse(_message.Message):
    __slots__ = ["chunk", "gap", "restart"]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    RESTART_FIELD_NUMBER: _ClassVar[int]
    chunk: LogChunk
    gap: LogGap
    restart: LogRestart
    def __init__(self, chunk: _Optional[_Union[LogChunk, _Mapping]] = ..., gap: _Optional[_Union[LogGap, _Mapping]] = ..., restart: _Optional[_Union[LogRestart, _Mapping]] = ...) -> None: ...

class FollowProcessLogRequest(_message.Message):
    __slots__ = ["channel", "name", "tail_bytes"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TAIL_BYTES_FIELD_NUMBER: _ClassVar[int]
    channel: LogChannel
    name: str
    tail_bytes: int
    def __init__(self, name: _Optional[str] = ..., channel: _Optional[_Union[LogChannel, str]] = ..., tail_bytes: _Optional[int] = ...) -> None: ...

class FollowProcessLogResponse(_message.Message):
    __slots__ = ["chunk", "gap", "restart"]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    RESTART_FIELD_NUMBER: _ClassVar[int]
    chunk: LogChunk
    gap: LogGap
    restart: LogRestart
    def __init__(self, chunk: _Optional[_Union[LogChunk, _Mapping]] = ..., gap: _Optional[_Union[LogGap, _Mapping]] = ..., restart: _Optional[_Union[LogRestart, _Mapping]] = ...) -> None: ...

class LogChunk(_message.Message):
    __slots__ = ["data", "offset"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    offset: int
    def __init__(self, data: _Optional[bytes] = ..., offset: _Optional[int] = ...) -> None: ...

class LogGap(_message.Message):
    __slots__ = ["missed_bytes"]
    MISSED_BYTES_FIELD_NUMBER: _ClassVar[int]
    missed_bytes: int
    def __init__(self, missed_bytes: _Optional[int] = ...) -> None: ...

class LogRestart(_message.Message):
    __slots__ = ["cause"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    cause: LogRestartCause
    def __init__(self, cause: _Optional[_Union[LogRestartCause, str]] = ...) -> None: ...

class ReadMainLogRequest(_message.Message):
    __slots__ = ["length", "offset"]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    length: int
    offset: int
    def __init__(self, offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadMainLogResponse(_message.Message):
    __slots__ = ["data"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class ReadProcessLogRequest(_message.Message):
    __slots__ = ["channel", "length", "name", "offset"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    channel: LogChannel
    length: int
    name: str
    offset: int
    def __init__(self, name: _Optional[str] = ..., channel: _Optional[_Union[LogChannel, str]] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadProcessLogResponse(_message.Message):
    __slots__ = ["data"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class TailProcessLogRequest(_message.Message):
    __slots__ = ["channel", "length", "name", "offset"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    channel: LogChannel
    length: int
    name: str
    offset: int
    def __init__(self, name: _Optional[str] = ..., channel: _Optional[_Union[LogChannel, str]] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class TailProcessLogResponse(_message.Message):
    __slots__ = ["data", "offset", "overflow"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    OVERFLOW_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    offset: int
    overflow: bool
    def __init__(self, data: _Optional[bytes] = ..., offset: _Optional[int] = ..., overflow: bool = ...) -> None: ...

class LogChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class LogRestartCause(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
