"""Python client of the gsupervisor API (generated from proto/; see docs/clients.md).

Put gen/python on sys.path (PYTHONPATH) and import the API version:
``from gsupervisor.v1 import process_pb2, process_pb2_grpc``. The package is
named gsupervisor, not supervisor, so it lives beside Supervisor's own
``supervisor`` package in one interpreter.
"""
