"""Drives a gsupervisor daemon through the generated Python client.

Run by e2e/clients_test.go with /usr/bin/python3 (Debian's grpcio and
protobuf) and PYTHONPATH=gen/python: python_client.py SOCKET ADDR USER PASS.
The unix socket needs no credentials, the TCP port needs USER:PASS. Prints
one "ok ..." line per check and exits non-zero on the first failure.
"""

import base64
import sys
import threading

import supervisor.childutils  # Supervisor 4.2.5's own package, in the same interpreter

import grpc

from gsupervisor.v1 import errors_pb2
from gsupervisor.v1 import event_pb2, event_pb2_grpc
from gsupervisor.v1 import log_pb2, log_pb2_grpc
from gsupervisor.v1 import process_pb2, process_pb2_grpc
from gsupervisor.v1.errorinfo import reason_from_error

sock, addr, user, password = sys.argv[1:5]
auth = [("authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())]


def check(cond, what):
    if not cond:
        print("FAIL", what, flush=True)
        sys.exit(1)
    print("ok", what, flush=True)


def health(channel, service, metadata=None):
    """grpc.health.v1.Health/Check, hand-encoded (Debian ships no grpc_health)."""
    name = service.encode()
    check_ = channel.unary_unary("/grpc.health.v1.Health/Check")
    resp = check_(b"\n" + bytes([len(name)]) + name if name else b"", metadata=metadata, timeout=10)
    return {b"\x08\x01": "SERVING", b"\x08\x02": "NOT_SERVING"}.get(resp, repr(resp))


check(supervisor.childutils.getRPCInterface is not None, "supervisor.childutils imported beside gsupervisor.v1")

for name, target, md in [("unix", "unix://" + sock, None), ("tcp", addr, auth)]:
    with grpc.insecure_channel(target) as ch:
        processes = process_pb2_grpc.ProcessServiceStub(ch)
        logs = log_pb2_grpc.LogServiceStub(ch)
        events = event_pb2_grpc.EventServiceStub(ch)

        # Unary calls.
        listed = processes.ListProcesses(process_pb2.ListProcessesRequest(), metadata=md, timeout=10)
        names = sorted(p.name for p in listed.processes)
        check(names == ["cat", "ticker"], f"{name}: ListProcesses {names}")
        r = processes.RestartProcess(process_pb2.RestartProcessRequest(name="ticker", wait=True), metadata=md, timeout=30)
        check(r.process.state == process_pb2.PROCESS_STATE_RUNNING, f"{name}: RestartProcess ticker")

        # A typed error through ErrorInfo.
        try:
            processes.GetProcess(process_pb2.GetProcessRequest(name="nope"), metadata=md, timeout=10)
            check(False, f"{name}: GetProcess nope failed")
        except grpc.RpcError as err:
            check(err.code() == grpc.StatusCode.NOT_FOUND, f"{name}: GetProcess nope is NOT_FOUND")
            check(reason_from_error(err) == ("ERROR_REASON_BAD_NAME", "nope"), f"{name}: reason {reason_from_error(err)}")
            check(errors_pb2.ErrorReason.Value(reason_from_error(err)[0]) == errors_pb2.ERROR_REASON_BAD_NAME, f"{name}: reason value")

        # Server stream: follow a log, then cancel mid-stream.
        processes.WriteProcessStdin(process_pb2.WriteProcessStdinRequest(name="cat", data=b"python " + name.encode() + b"\n"), metadata=md, timeout=10)
        follow = logs.FollowProcessLog(log_pb2.FollowProcessLogRequest(name="cat", tail_bytes=65536), metadata=md, timeout=30)
        seen = b""
        for m in follow:
            seen += m.chunk.data
            if b"python " + name.encode() + b"\n" in seen:
                break
        check(b"python " + name.encode() in seen, f"{name}: FollowProcessLog")
        follow.cancel()
        try:
            next(follow)
            check(False, f"{name}: a cancelled stream ends")
        except grpc.RpcError as err:
            check(err.code() == grpc.StatusCode.CANCELLED, f"{name}: cancelled mid-stream: {err.code()}")

        # Server stream: events, until the restart of ticker shows, from
        # the retained history.
        sub = events.SubscribeEvents(event_pb2.SubscribeEventsRequest(after_serial=0, processes=["ticker"]), metadata=md, timeout=30)
        states = []
        for m in sub:
            if m.HasField("event") and m.event.HasField("process_state"):
                states.append(m.event.process_state.state)
                if process_pb2.PROCESS_STATE_STOPPED in states and states[-1] == process_pb2.PROCESS_STATE_RUNNING:
                    break
        check(process_pb2.PROCESS_STATE_STOPPED in states, f"{name}: SubscribeEvents saw the restart")
        sub.cancel()

        # Health, with and without credentials.
        check(health(ch, "") == "SERVING", f"{name}: health '' without credentials")
        check(health(ch, "gsupervisor.v1.ProcessService", md) == "SERVING", f"{name}: health ProcessService")

# Credentials on the TCP port: none and wrong ones are refused.
with grpc.insecure_channel(addr) as ch:
    processes = process_pb2_grpc.ProcessServiceStub(ch)
    for label, md in [("no", None), ("wrong", [("authorization", "Basic " + base64.b64encode(b"x:y").decode())])]:
        try:
            processes.ListProcesses(process_pb2.ListProcessesRequest(), metadata=md, timeout=10)
            check(False, f"tcp: {label} credentials refused")
        except grpc.RpcError as err:
            check(err.code() == grpc.StatusCode.UNAUTHENTICATED and reason_from_error(err) is None, f"tcp: {label} credentials: {err.code()}")
    check(health(ch, "") == "SERVING", "tcp: health without credentials on a protected port")
print("PASS")
