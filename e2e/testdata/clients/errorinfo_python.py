"""Checks gsupervisor.v1.errorinfo.reason_from_error on errors no daemon
sends today: an unknown reason (a newer daemon), another domain, no
details, an object that is not a gRPC error. Run by e2e/clients_test.go
with /usr/bin/python3 and PYTHONPATH=gen/python; prints PASS.
"""

import sys

from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

from gsupervisor.v1.errorinfo import reason_from_error


class FakeRpcError:
    """What reason_from_error reads of a grpc.RpcError: its trailers."""

    def __init__(self, trailers):
        self._trailers = trailers

    def trailing_metadata(self):
        return self._trailers


def failed(*infos):
    status = status_pb2.Status(code=5, message="x")
    for info in infos:
        a = any_pb2.Any()
        a.Pack(info)
        status.details.append(a)
    return FakeRpcError((("grpc-status-details-bin", status.SerializeToString()),))


def check(got, want, what):
    if got != want:
        print("FAIL", what, got, "want", want)
        sys.exit(1)
    print("ok", what)


info = error_details_pb2.ErrorInfo
check(reason_from_error(failed(info(reason="ERROR_REASON_NOT_RUNNING", domain="gsupervisor.v1", metadata={"detail": "web"}))),
      ("ERROR_REASON_NOT_RUNNING", "web"), "a known reason and its detail")
check(reason_from_error(failed(info(reason="ERROR_REASON_FROM_THE_FUTURE", domain="gsupervisor.v1"))),
      ("ERROR_REASON_FAILED", ""), "an unknown reason is FAILED")
check(reason_from_error(failed(info(reason="BAD_NAME", domain="example.com"), info(reason="ERROR_REASON_BAD_NAME", domain="gsupervisor.v1"))),
      ("ERROR_REASON_BAD_NAME", ""), "another domain's ErrorInfo is skipped")
check(reason_from_error(failed()), None, "no details")
check(reason_from_error(FakeRpcError((("grpc-status-details-bin", b"\xff\xff\xff"),))), None, "undecodable details")
check(reason_from_error(FakeRpcError(())), None, "no status trailer")
check(reason_from_error(ValueError("not a gRPC error")), None, "not a gRPC error")
print("PASS")
