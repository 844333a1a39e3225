from google.protobuf import duration_pb2 as _duration_pb2
from gsupervisor.v1 import errors_pb2 as _errors_pb2
from gsupervisor.v1 import process_pb2 as _process_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
GROUP_CHANGE_KIND_ADDED: GroupChangeKind
GROUP_CHANGE_KIND_CHANGED: GroupChangeKind
GROUP_CHANGE_KIND_REMOVED: GroupChangeKind
GROUP_CHANGE_KIND_UNSPECIFIED: GroupChangeKind

class AddProcessGroupRequest(_message.Message):
    __slots__ = ["group"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: str
    def __init__(self, group: _Optional[str] = ...) -> None: ...

class AddProcessGroupResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GroupChange(_message.Message):
    __slots__ = ["group", "kind", "options"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    group: str
    kind: GroupChangeKind
    options: _containers.RepeatedCompositeFieldContainer[OptionChange]
    def __init__(self, group: _Optional[str] = ..., kind: _Optional[_Union[GroupChangeKind, str]] = ..., options: _Optional[_Iterable[_Union[OptionChange, _Mapping]]] = ...) -> None: ...

class GroupUpdateResult(_message.Message):
    __slots__ = ["description", "group", "kind", "reason", "stop_results"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STOP_RESULTS_FIELD_NUMBER: _ClassVar[int]
    description: str
    group: str
    kind: GroupChangeKind
    reason: _errors_pb2.ErrorReason
    stop_results: _containers.RepeatedCompositeFieldContainer[_process_pb2.ProcessResult]
    def __init__(self, group: _Optional[str] = ..., kind: _Optional[_Union[GroupChangeKind, str]] = ..., reason: _Optional[_Union[_errors_pb2.ErrorReason, str]] = ..., description: _Optional[str] = ..., stop_results: _Optional[_Iterable[_Union[_process_pb2.ProcessResult, _Mapping]]] = ...) -> None: ...

class OptionChange(_message.Message):
    __slots__ = ["new_value", "old_value", "option", "process"]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    OPTION_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    new_value: str
    old_value: str
    option: str
    process: str
    def __init__(self, process: _Optional[str] = ..., option: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ...) -> None: ...

class RemoveProcessGroupRequest(_message.Message):
    __slots__ = ["group"]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: str
    def __init__(self, group: _Optional[str] = ...) -> None: ...

class RemoveProcessGroupResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RereadConfigRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RereadConfigResponse(_message.Message):
    __slots__ = ["added", "changed", "plan", "removed", "revision"]
    ADDED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    added: _containers.RepeatedScalarFieldContainer[str]
    changed: _containers.RepeatedScalarFieldContainer[str]
    plan: _containers.RepeatedCompositeFieldContainer[GroupChange]
    removed: _containers.RepeatedScalarFieldContainer[str]
    revision: str
    def __init__(self, added: _Optional[_Iterable[str]] = ..., changed: _Optional[_Iterable[str]] = ..., removed: _Optional[_Iterable[str]] = ..., plan: _Optional[_Iterable[_Union[GroupChange, _Mapping]]] = ..., revision: _Optional[str] = ...) -> None: ...

class UpdateConfigRequest(_message.Message):
    __slots__ = ["groups", "revision", "stop_timeout"]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    STOP_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedScalarFieldContainer[str]
    revision: str
    stop_timeout: _duration_pb2.Duration
    def __init__(self, groups: _Optional[_Iterable[str]] = ..., revision: _Optional[str] = ..., stop_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class UpdateConfigResponse(_message.Message):
    __slots__ = ["results", "revision"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[GroupUpdateResult]
    revision: str
    def __init__(self, results: _Optional[_Iterable[_Union[GroupUpdateResult, _Mapping]]] = ..., revision: _Optional[str] = ...) -> None: ...

class GroupChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
