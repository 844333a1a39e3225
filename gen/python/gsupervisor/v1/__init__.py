"""The gsupervisor.v1 API: one module pair per proto file.

``<file>_pb2`` holds the messages and enums (with type stubs in ``.pyi``),
``<file>_pb2_grpc`` the service stubs (``ProcessServiceStub``,
``LogServiceStub``, ...), and ``errorinfo`` (hand-written) reads the reason
and detail of a failed call. Everything but ``errorinfo`` and this file is
written by ``make generate``.
"""
