from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
ERROR_REASON_ABNORMAL_TERMINATION: ErrorReason
ERROR_REASON_ALREADY_ADDED: ErrorReason
ERROR_REASON_ALREADY_STARTED: ErrorReason
ERROR_REASON_BAD_ARGUMENTS: ErrorReason
ERROR_REASON_BAD_NAME: ErrorReason
ERROR_REASON_BAD_SIGNAL: ErrorReason
ERROR_REASON_CANT_REREAD: ErrorReason
ERROR_REASON_FAILED: ErrorReason
ERROR_REASON_NOT_EXECUTABLE: ErrorReason
ERROR_REASON_NOT_RUNNING: ErrorReason
ERROR_REASON_NO_FILE: ErrorReason
ERROR_REASON_REVISION_MISMATCH: ErrorReason
ERROR_REASON_SHUTDOWN_STATE: ErrorReason
ERROR_REASON_SPAWN_ERROR: ErrorReason
ERROR_REASON_STILL_RUNNING: ErrorReason
ERROR_REASON_UNSPECIFIED: ErrorReason

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
