"""The reason and detail of a failed gsupervisor call.

Hand-written (make generate keeps it): the one decoder of the
google.rpc.ErrorInfo detail that every failed call of the API carries, so no
client strips or adds the ERROR_REASON_ prefix. A reason is always spelled
as its ErrorReason value's full name, e.g. "ERROR_REASON_BAD_NAME"
(``errors_pb2.ErrorReason.Value(reason)`` gives its number).
"""

from typing import Optional, Tuple

from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

from gsupervisor.v1 import errors_pb2

#: The domain of the ErrorInfo detail of every error of the API.
ERROR_DOMAIN = "gsupervisor.v1"

#: The ErrorInfo metadata key holding the text after "REASON: " in the
#: message (often a process name).
ERROR_INFO_DETAIL_KEY = "detail"

# The trailer in which gRPC carries a failed call's google.rpc.Status.
_STATUS_DETAILS_KEY = "grpc-status-details-bin"


def reason_from_error(err) -> Optional[Tuple[str, str]]:
    """Return (reason, detail) of a failed call, or None.

    err is the grpc.RpcError a stub raised (a unary call, or a stream while
    iterating). The result comes from the first google.rpc.ErrorInfo of
    domain ERROR_DOMAIN in the error's status details; None means the error
    carries none (a transport failure, a cancelled call, another service's
    error, details that do not decode). A reason this version does not
    know (a newer daemon) is reported as "ERROR_REASON_FAILED".
    """
    trailing = getattr(err, "trailing_metadata", None)
    if not callable(trailing):
        return None
    for key, value in trailing() or ():
        if key != _STATUS_DETAILS_KEY:
            continue
        try:
            status = status_pb2.Status.FromString(value)
        except DecodeError:
            return None
        for detail in status.details:
            if not detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                continue
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            if info.domain != ERROR_DOMAIN:
                continue
            reason = info.reason
            if reason not in errors_pb2.ErrorReason.keys() or reason == "ERROR_REASON_UNSPECIFIED":
                reason = "ERROR_REASON_FAILED"
            return reason, info.metadata.get(ERROR_INFO_DETAIL_KEY, "")
    return None
