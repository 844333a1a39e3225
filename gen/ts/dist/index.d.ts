export * from "./gsupervisor/v1/config";
export * from "./gsupervisor/v1/errors";
export * from "./gsupervisor/v1/event";
export * from "./gsupervisor/v1/log";
export * from "./gsupervisor/v1/process";
export * from "./gsupervisor/v1/supervisor";
export { Status } from "./google/rpc/status";
export { ErrorInfo } from "./google/rpc/error_details";
export * from "./errorinfo";
