// Hand-written (make generate keeps it): the entry point of the Node.js
// client of the gsupervisor.v1 API. Every message, enum and service client
// of the API (ProcessServiceClient, LogServiceClient, …), the google.rpc
// messages of error details, reasonFromError, and grpc: the @grpc/grpc-js
// the clients are built on (use its credentials and Metadata, not those
// of another copy).

export * from "./gsupervisor/v1/config";
export * from "./gsupervisor/v1/errors";
export * from "./gsupervisor/v1/event";
export * from "./gsupervisor/v1/log";
export * from "./gsupervisor/v1/process";
export * from "./gsupervisor/v1/supervisor";
export { Status } from "./google/rpc/status";
export { ErrorInfo } from "./google/rpc/error_details";
export * from "./errorinfo";
export * as grpc from "@grpc/grpc-js";
