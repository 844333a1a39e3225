import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { ProcessResult } from "./process";
/** LogChannel selects one of a process's output channels. */
export declare enum LogChannel {
    /** LOG_CHANNEL_UNSPECIFIED - Not set; means stdout. */
    LOG_CHANNEL_UNSPECIFIED = 0,
    /** LOG_CHANNEL_STDOUT - The process's standard output. */
    LOG_CHANNEL_STDOUT = 1,
    /** LOG_CHANNEL_STDERR - The process's standard error. */
    LOG_CHANNEL_STDERR = 2,
    UNRECOGNIZED = -1
}
export declare function logChannelFromJSON(object: any): LogChannel;
export declare function logChannelToJSON(object: LogChannel): string;
/** LogRestartCause is why a followed log started again from offset 0. */
export declare enum LogRestartCause {
    /** LOG_RESTART_CAUSE_UNSPECIFIED - Not set. */
    LOG_RESTART_CAUSE_UNSPECIFIED = 0,
    /** LOG_RESTART_CAUSE_ROTATED - The file was rotated to a backup and a new file started. */
    LOG_RESTART_CAUSE_ROTATED = 1,
    /** LOG_RESTART_CAUSE_TRUNCATED - The file was truncated or cleared. */
    LOG_RESTART_CAUSE_TRUNCATED = 2,
    UNRECOGNIZED = -1
}
export declare function logRestartCauseFromJSON(object: any): LogRestartCause;
export declare function logRestartCauseToJSON(object: LogRestartCause): string;
/** LogChunk is one piece of a followed log. */
export interface LogChunk {
    /** The bytes, in the order they were written. */
    data: Buffer;
    /** The offset in the current log file just after data. */
    offset: number;
}
/**
 * LogGap tells a follower that bytes were not delivered to it: it read too
 * slowly and the daemon dropped what it could not buffer. The log file
 * itself has every byte.
 */
export interface LogGap {
    /** How many bytes were not delivered. */
    missedBytes: number;
}
/**
 * LogRestart tells a follower that the log file started again from offset
 * 0: it was rotated, truncated or cleared.
 */
export interface LogRestart {
    /** Why the log started again. */
    cause: LogRestartCause;
}
/** ReadProcessLogRequest names the log and the byte range. */
export interface ReadProcessLogRequest {
    /** The namespec of the process. */
    name: string;
    /** The channel; stdout when unset. */
    channel: LogChannel;
    /** The start offset; negative counts from the end. */
    offset: number;
    /** The number of bytes; 0 reads to the end. */
    length: number;
}
/** ReadProcessLogResponse carries the bytes read. */
export interface ReadProcessLogResponse {
    /** The bytes read. */
    data: Buffer;
}
/**
 * TailProcessLogRequest names the log, the last offset seen and the size
 * wanted.
 */
export interface TailProcessLogRequest {
    /** The namespec of the process. */
    name: string;
    /** The channel; stdout when unset. */
    channel: LogChannel;
    /** The offset the client has already seen (the previous response's offset). */
    offset: number;
    /** The most bytes to return. */
    length: number;
}
/** TailProcessLogResponse carries the tail of the log. */
export interface TailProcessLogResponse {
    /**
     * The last min(length, size) bytes of the log if it is larger than offset,
     * else empty.
     */
    data: Buffer;
    /** The new offset to pass next time (the current log size). */
    offset: number;
    /** Whether the log grew by more than length bytes since offset. */
    overflow: boolean;
}
/** FollowProcessLogRequest names the log to follow. */
export interface FollowProcessLogRequest {
    /** The namespec of the process. */
    name: string;
    /** The channel; stdout when unset. */
    channel: LogChannel;
    /**
     * How many bytes of existing log to send first (like `tail -c`); 0 sends
     * only new output.
     */
    tailBytes: number;
}
/** FollowProcessLogResponse is one message of a followed process log. */
export interface FollowProcessLogResponse {
    /** New log bytes. */
    chunk?: LogChunk | undefined;
    /** Bytes this follower missed because it read too slowly. */
    gap?: LogGap | undefined;
    /** The log started again from offset 0. */
    restart?: LogRestart | undefined;
}
/** ClearProcessLogsRequest names the process whose logs to clear. */
export interface ClearProcessLogsRequest {
    /** The namespec of the process. */
    name: string;
}
/** ClearProcessLogsResponse confirms the logs were cleared. */
export interface ClearProcessLogsResponse {
}
/** ClearAllProcessLogsRequest asks to clear every process's logs. */
export interface ClearAllProcessLogsRequest {
}
/** ClearAllProcessLogsResponse carries the per-process outcomes. */
export interface ClearAllProcessLogsResponse {
    /** One result per process, in priority order. */
    results: ProcessResult[];
}
/** ReadMainLogRequest names the byte range of the main log. */
export interface ReadMainLogRequest {
    /** The start offset; negative counts from the end. */
    offset: number;
    /** The number of bytes; 0 reads to the end. */
    length: number;
}
/** ReadMainLogResponse carries the bytes read. */
export interface ReadMainLogResponse {
    /** The bytes read. */
    data: Buffer;
}
/** FollowMainLogRequest asks to follow the main log. */
export interface FollowMainLogRequest {
    /** How many bytes of existing log to send first; 0 sends only new lines. */
    tailBytes: number;
}
/** FollowMainLogResponse is one message of the followed main log. */
export interface FollowMainLogResponse {
    /** New log bytes. */
    chunk?: LogChunk | undefined;
    /** Bytes this follower missed because it read too slowly. */
    gap?: LogGap | undefined;
    /** The log started again from offset 0. */
    restart?: LogRestart | undefined;
}
/** ClearMainLogRequest asks to clear the main log. */
export interface ClearMainLogRequest {
}
/** ClearMainLogResponse confirms the main log was cleared. */
export interface ClearMainLogResponse {
}
export declare const LogChunk: MessageFns<LogChunk>;
export declare const LogGap: MessageFns<LogGap>;
export declare const LogRestart: MessageFns<LogRestart>;
export declare const ReadProcessLogRequest: MessageFns<ReadProcessLogRequest>;
export declare const ReadProcessLogResponse: MessageFns<ReadProcessLogResponse>;
export declare const TailProcessLogRequest: MessageFns<TailProcessLogRequest>;
export declare const TailProcessLogResponse: MessageFns<TailProcessLogResponse>;
export declare const FollowProcessLogRequest: MessageFns<FollowProcessLogRequest>;
export declare const FollowProcessLogResponse: MessageFns<FollowProcessLogResponse>;
export declare const ClearProcessLogsRequest: MessageFns<ClearProcessLogsRequest>;
export declare const ClearProcessLogsResponse: MessageFns<ClearProcessLogsResponse>;
export declare const ClearAllProcessLogsRequest: MessageFns<ClearAllProcessLogsRequest>;
export declare const ClearAllProcessLogsResponse: MessageFns<ClearAllProcessLogsResponse>;
export declare const ReadMainLogRequest: MessageFns<ReadMainLogRequest>;
export declare const ReadMainLogResponse: MessageFns<ReadMainLogResponse>;
export declare const FollowMainLogRequest: MessageFns<FollowMainLogRequest>;
export declare const FollowMainLogResponse: MessageFns<FollowMainLogResponse>;
export declare const ClearMainLogRequest: MessageFns<ClearMainLogRequest>;
export declare const ClearMainLogResponse: MessageFns<ClearMainLogResponse>;
/**
 * LogService reads, tails, follows and clears the logs of processes and the
 * daemon's main log. Log data is bytes: whatever the processes wrote,
 * valid UTF-8 or not.
 */
export type LogServiceService = typeof LogServiceService;
export declare const LogServiceService: {
    /**
     * ReadProcessLog reads a byte range of a process's stdout or stderr log,
     * with Supervisor's offset/length rules: offset >= 0 and length > 0 read
     * length bytes from offset; length 0 reads to the end; a negative offset
     * with length 0 reads the last -offset bytes; anything else fails with
     * ERROR_REASON_BAD_ARGUMENTS. A channel without a log fails with
     * ERROR_REASON_NO_FILE.
     */
    readonly readProcessLog: {
        readonly path: "/gsupervisor.v1.LogService/ReadProcessLog";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ReadProcessLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ReadProcessLogRequest;
        readonly responseSerialize: (value: ReadProcessLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ReadProcessLogResponse;
    };
    /**
     * TailProcessLog returns the last length bytes of a process log if it grew
     * beyond offset, the new offset (the log size) and whether bytes between
     * offset and the returned data were skipped (Supervisor's tailProcessLog).
     * A channel without a log gives an empty tail at offset 0, as in 4.2.5.
     */
    readonly tailProcessLog: {
        readonly path: "/gsupervisor.v1.LogService/TailProcessLog";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: TailProcessLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => TailProcessLogRequest;
        readonly responseSerialize: (value: TailProcessLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => TailProcessLogResponse;
    };
    /**
     * FollowProcessLog streams a process log: first up to tail_bytes of what is
     * already there, then every new byte as it is written, across rotation and
     * truncation, until the client cancels.
     */
    readonly followProcessLog: {
        readonly path: "/gsupervisor.v1.LogService/FollowProcessLog";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: FollowProcessLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => FollowProcessLogRequest;
        readonly responseSerialize: (value: FollowProcessLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => FollowProcessLogResponse;
    };
    /**
     * ClearProcessLogs empties both logs of a process (deleting and reopening
     * the files).
     */
    readonly clearProcessLogs: {
        readonly path: "/gsupervisor.v1.LogService/ClearProcessLogs";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ClearProcessLogsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ClearProcessLogsRequest;
        readonly responseSerialize: (value: ClearProcessLogsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ClearProcessLogsResponse;
    };
    /** ClearAllProcessLogs empties the logs of every process. */
    readonly clearAllProcessLogs: {
        readonly path: "/gsupervisor.v1.LogService/ClearAllProcessLogs";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ClearAllProcessLogsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ClearAllProcessLogsRequest;
        readonly responseSerialize: (value: ClearAllProcessLogsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ClearAllProcessLogsResponse;
    };
    /**
     * ReadMainLog reads a byte range of the daemon's main log, with the same
     * rules as ReadProcessLog.
     */
    readonly readMainLog: {
        readonly path: "/gsupervisor.v1.LogService/ReadMainLog";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ReadMainLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ReadMainLogRequest;
        readonly responseSerialize: (value: ReadMainLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ReadMainLogResponse;
    };
    /** FollowMainLog streams the daemon's main log like FollowProcessLog. */
    readonly followMainLog: {
        readonly path: "/gsupervisor.v1.LogService/FollowMainLog";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: FollowMainLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => FollowMainLogRequest;
        readonly responseSerialize: (value: FollowMainLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => FollowMainLogResponse;
    };
    /** ClearMainLog empties the daemon's main log. */
    readonly clearMainLog: {
        readonly path: "/gsupervisor.v1.LogService/ClearMainLog";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ClearMainLogRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ClearMainLogRequest;
        readonly responseSerialize: (value: ClearMainLogResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ClearMainLogResponse;
    };
};
export interface LogServiceServer extends UntypedServiceImplementation {
    /**
     * ReadProcessLog reads a byte range of a process's stdout or stderr log,
     * with Supervisor's offset/length rules: offset >= 0 and length > 0 read
     * length bytes from offset; length 0 reads to the end; a negative offset
     * with length 0 reads the last -offset bytes; anything else fails with
     * ERROR_REASON_BAD_ARGUMENTS. A channel without a log fails with
     * ERROR_REASON_NO_FILE.
     */
    readProcessLog: handleUnaryCall<ReadProcessLogRequest, ReadProcessLogResponse>;
    /**
     * TailProcessLog returns the last length bytes of a process log if it grew
     * beyond offset, the new offset (the log size) and whether bytes between
     * offset and the returned data were skipped (Supervisor's tailProcessLog).
     * A channel without a log gives an empty tail at offset 0, as in 4.2.5.
     */
    tailProcessLog: handleUnaryCall<TailProcessLogRequest, TailProcessLogResponse>;
    /**
     * FollowProcessLog streams a process log: first up to tail_bytes of what is
     * already there, then every new byte as it is written, across rotation and
     * truncation, until the client cancels.
     */
    followProcessLog: handleServerStreamingCall<FollowProcessLogRequest, FollowProcessLogResponse>;
    /**
     * ClearProcessLogs empties both logs of a process (deleting and reopening
     * the files).
     */
    clearProcessLogs: handleUnaryCall<ClearProcessLogsRequest, ClearProcessLogsResponse>;
    /** ClearAllProcessLogs empties the logs of every process. */
    clearAllProcessLogs: handleUnaryCall<ClearAllProcessLogsRequest, ClearAllProcessLogsResponse>;
    /**
     * ReadMainLog reads a byte range of the daemon's main log, with the same
     * rules as ReadProcessLog.
     */
    readMainLog: handleUnaryCall<ReadMainLogRequest, ReadMainLogResponse>;
    /** FollowMainLog streams the daemon's main log like FollowProcessLog. */
    followMainLog: handleServerStreamingCall<FollowMainLogRequest, FollowMainLogResponse>;
    /** ClearMainLog empties the daemon's main log. */
    clearMainLog: handleUnaryCall<ClearMainLogRequest, ClearMainLogResponse>;
}
export interface LogServiceClient extends Client {
    /**
     * ReadProcessLog reads a byte range of a process's stdout or stderr log,
     * with Supervisor's offset/length rules: offset >= 0 and length > 0 read
     * length bytes from offset; length 0 reads to the end; a negative offset
     * with length 0 reads the last -offset bytes; anything else fails with
     * ERROR_REASON_BAD_ARGUMENTS. A channel without a log fails with
     * ERROR_REASON_NO_FILE.
     */
    readProcessLog(request: ReadProcessLogRequest, callback: (error: ServiceError | null, response: ReadProcessLogResponse) => void): ClientUnaryCall;
    readProcessLog(request: ReadProcessLogRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ReadProcessLogResponse) => void): ClientUnaryCall;
    readProcessLog(request: ReadProcessLogRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ReadProcessLogResponse) => void): ClientUnaryCall;
    /**
     * TailProcessLog returns the last length bytes of a process log if it grew
     * beyond offset, the new offset (the log size) and whether bytes between
     * offset and the returned data were skipped (Supervisor's tailProcessLog).
     * A channel without a log gives an empty tail at offset 0, as in 4.2.5.
     */
    tailProcessLog(request: TailProcessLogRequest, callback: (error: ServiceError | null, response: TailProcessLogResponse) => void): ClientUnaryCall;
    tailProcessLog(request: TailProcessLogRequest, metadata: Metadata, callback: (error: ServiceError | null, response: TailProcessLogResponse) => void): ClientUnaryCall;
    tailProcessLog(request: TailProcessLogRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: TailProcessLogResponse) => void): ClientUnaryCall;
    /**
     * FollowProcessLog streams a process log: first up to tail_bytes of what is
     * already there, then every new byte as it is written, across rotation and
     * truncation, until the client cancels.
     */
    followProcessLog(request: FollowProcessLogRequest, options?: Partial<CallOptions>): ClientReadableStream<FollowProcessLogResponse>;
    followProcessLog(request: FollowProcessLogRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<FollowProcessLogResponse>;
    /**
     * ClearProcessLogs empties both logs of a process (deleting and reopening
     * the files).
     */
    clearProcessLogs(request: ClearProcessLogsRequest, callback: (error: ServiceError | null, response: ClearProcessLogsResponse) => void): ClientUnaryCall;
    clearProcessLogs(request: ClearProcessLogsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ClearProcessLogsResponse) => void): ClientUnaryCall;
    clearProcessLogs(request: ClearProcessLogsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ClearProcessLogsResponse) => void): ClientUnaryCall;
    /** ClearAllProcessLogs empties the logs of every process. */
    clearAllProcessLogs(request: ClearAllProcessLogsRequest, callback: (error: ServiceError | null, response: ClearAllProcessLogsResponse) => void): ClientUnaryCall;
    clearAllProcessLogs(request: ClearAllProcessLogsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ClearAllProcessLogsResponse) => void): ClientUnaryCall;
    clearAllProcessLogs(request: ClearAllProcessLogsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ClearAllProcessLogsResponse) => void): ClientUnaryCall;
    /**
     * ReadMainLog reads a byte range of the daemon's main log, with the same
     * rules as ReadProcessLog.
     */
    readMainLog(request: ReadMainLogRequest, callback: (error: ServiceError | null, response: ReadMainLogResponse) => void): ClientUnaryCall;
    readMainLog(request: ReadMainLogRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ReadMainLogResponse) => void): ClientUnaryCall;
    readMainLog(request: ReadMainLogRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ReadMainLogResponse) => void): ClientUnaryCall;
    /** FollowMainLog streams the daemon's main log like FollowProcessLog. */
    followMainLog(request: FollowMainLogRequest, options?: Partial<CallOptions>): ClientReadableStream<FollowMainLogResponse>;
    followMainLog(request: FollowMainLogRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<FollowMainLogResponse>;
    /** ClearMainLog empties the daemon's main log. */
    clearMainLog(request: ClearMainLogRequest, callback: (error: ServiceError | null, response: ClearMainLogResponse) => void): ClientUnaryCall;
    clearMainLog(request: ClearMainLogRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ClearMainLogResponse) => void): ClientUnaryCall;
    clearMainLog(request: ClearMainLogRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ClearMainLogResponse) => void): ClientUnaryCall;
}
export declare const LogServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): LogServiceClient;
    service: typeof LogServiceService;
    serviceName: string;
};
type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;
type DeepPartial<T> = T extends Builtin ? T : T extends globalThis.Array<infer U> ? globalThis.Array<DeepPartial<U>> : T extends ReadonlyArray<infer U> ? ReadonlyArray<DeepPartial<U>> : T extends {} ? {
    [K in keyof T]?: DeepPartial<T[K]>;
} : Partial<T>;
type KeysOfUnion<T> = T extends T ? keyof T : never;
type Exact<P, I extends P> = P extends Builtin ? P : P & {
    [K in keyof P]: Exact<P[K], I[K]>;
} & {
    [K in Exclude<keyof I, KeysOfUnion<P>>]: never;
};
interface MessageFns<T> {
    encode(message: T, writer?: BinaryWriter): BinaryWriter;
    decode(input: BinaryReader | Uint8Array, length?: number): T;
    fromJSON(object: any): T;
    toJSON(message: T): unknown;
    create<I extends Exact<DeepPartial<T>, I>>(base?: I): T;
    fromPartial<I extends Exact<DeepPartial<T>, I>>(object: I): T;
}
export {};
