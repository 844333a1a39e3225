import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { LogStats } from "./process";
/** SupervisorState is the state of the daemon. */
export declare enum SupervisorState {
    /** SUPERVISOR_STATE_UNSPECIFIED - Not set. */
    SUPERVISOR_STATE_UNSPECIFIED = 0,
    /** SUPERVISOR_STATE_FATAL - The daemon is in an unrecoverable error state (legacy code 2). */
    SUPERVISOR_STATE_FATAL = 1,
    /** SUPERVISOR_STATE_RUNNING - The daemon is working normally (legacy code 1). */
    SUPERVISOR_STATE_RUNNING = 2,
    /** SUPERVISOR_STATE_RESTARTING - The daemon is restarting in place (legacy code 0). */
    SUPERVISOR_STATE_RESTARTING = 3,
    /** SUPERVISOR_STATE_SHUTDOWN - The daemon is shutting down (legacy code -1). */
    SUPERVISOR_STATE_SHUTDOWN = 4,
    UNRECOGNIZED = -1
}
export declare function supervisorStateFromJSON(object: any): SupervisorState;
export declare function supervisorStateToJSON(object: SupervisorState): string;
/** GetStateRequest asks for the daemon state. */
export interface GetStateRequest {
}
/** GetStateResponse carries the daemon state. */
export interface GetStateResponse {
    /** The current state of the daemon. */
    state: SupervisorState;
    /**
     * The counters of the daemon's main log; unset when it has none (logfile
     * is syslog, or the main log is not a file).
     */
    mainLogStats: LogStats | undefined;
}
/** GetVersionRequest asks for the versions. */
export interface GetVersionRequest {
}
/** GetVersionResponse carries the versions of the API and the daemon. */
export interface GetVersionResponse {
    /** The version of Supervisor's RPC API this daemon implements (`3.0`). */
    apiVersion: string;
    /**
     * The Supervisor release this daemon is compatible with (`4.2.5`), what
     * `supervisorctl version` prints.
     */
    supervisorVersion: string;
    /** The version of the gsupervisor daemon itself. */
    daemonVersion: string;
}
/** GetIdentificationRequest asks for the daemon identifier. */
export interface GetIdentificationRequest {
}
/** GetIdentificationResponse carries the daemon identifier. */
export interface GetIdentificationResponse {
    /** The identifier string of the daemon. */
    identifier: string;
}
/** GetPIDRequest asks for the daemon's process id. */
export interface GetPIDRequest {
}
/** GetPIDResponse carries the daemon's process id. */
export interface GetPIDResponse {
    /** The process id of the daemon. */
    pid: number;
}
/** ShutdownRequest asks the daemon to shut down. */
export interface ShutdownRequest {
}
/** ShutdownResponse confirms that the shutdown has begun. */
export interface ShutdownResponse {
}
/** RestartRequest asks the daemon to restart in place. */
export interface RestartRequest {
}
/** RestartResponse confirms that the restart has begun. */
export interface RestartResponse {
}
export declare const GetStateRequest: MessageFns<GetStateRequest>;
export declare const GetStateResponse: MessageFns<GetStateResponse>;
export declare const GetVersionRequest: MessageFns<GetVersionRequest>;
export declare const GetVersionResponse: MessageFns<GetVersionResponse>;
export declare const GetIdentificationRequest: MessageFns<GetIdentificationRequest>;
export declare const GetIdentificationResponse: MessageFns<GetIdentificationResponse>;
export declare const GetPIDRequest: MessageFns<GetPIDRequest>;
export declare const GetPIDResponse: MessageFns<GetPIDResponse>;
export declare const ShutdownRequest: MessageFns<ShutdownRequest>;
export declare const ShutdownResponse: MessageFns<ShutdownResponse>;
export declare const RestartRequest: MessageFns<RestartRequest>;
export declare const RestartResponse: MessageFns<RestartResponse>;
/**
 * SupervisorService describes and controls the daemon itself: its state,
 * versions, identity and process id, and its shutdown and restart.
 */
export type SupervisorServiceService = typeof SupervisorServiceService;
export declare const SupervisorServiceService: {
    /**
     * GetState returns the daemon state. While the daemon shuts down or
     * restarts, every RPC of this API except SendRemoteCommEvent fails with
     * ERROR_REASON_SHUTDOWN_STATE, as in Supervisor 4.2.5.
     */
    readonly getState: {
        readonly path: "/gsupervisor.v1.SupervisorService/GetState";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetStateRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetStateRequest;
        readonly responseSerialize: (value: GetStateResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetStateResponse;
    };
    /**
     * GetVersion returns the API version, the Supervisor version this daemon is
     * compatible with and the daemon's own version.
     */
    readonly getVersion: {
        readonly path: "/gsupervisor.v1.SupervisorService/GetVersion";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetVersionRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetVersionRequest;
        readonly responseSerialize: (value: GetVersionResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetVersionResponse;
    };
    /**
     * GetIdentification returns the identifier of the daemon (the `identifier`
     * option of [supervisord], `supervisor` by default).
     */
    readonly getIdentification: {
        readonly path: "/gsupervisor.v1.SupervisorService/GetIdentification";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetIdentificationRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetIdentificationRequest;
        readonly responseSerialize: (value: GetIdentificationResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetIdentificationResponse;
    };
    /** GetPID returns the process id of the daemon. */
    readonly getPid: {
        readonly path: "/gsupervisor.v1.SupervisorService/GetPID";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetPIDRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetPIDRequest;
        readonly responseSerialize: (value: GetPIDResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetPIDResponse;
    };
    /**
     * Shutdown stops every process in descending priority order and then exits
     * the daemon. It returns as soon as the shutdown has begun.
     */
    readonly shutdown: {
        readonly path: "/gsupervisor.v1.SupervisorService/Shutdown";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ShutdownRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ShutdownRequest;
        readonly responseSerialize: (value: ShutdownResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ShutdownResponse;
    };
    /**
     * Restart stops every process, reads the configuration file again and
     * starts everything again in the same daemon process (same pid), like
     * SIGHUP. It returns as soon as the restart has begun.
     */
    readonly restart: {
        readonly path: "/gsupervisor.v1.SupervisorService/Restart";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RestartRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RestartRequest;
        readonly responseSerialize: (value: RestartResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RestartResponse;
    };
};
export interface SupervisorServiceServer extends UntypedServiceImplementation {
    /**
     * GetState returns the daemon state. While the daemon shuts down or
     * restarts, every RPC of this API except SendRemoteCommEvent fails with
     * ERROR_REASON_SHUTDOWN_STATE, as in Supervisor 4.2.5.
     */
    getState: handleUnaryCall<GetStateRequest, GetStateResponse>;
    /**
     * GetVersion returns the API version, the Supervisor version this daemon is
     * compatible with and the daemon's own version.
     */
    getVersion: handleUnaryCall<GetVersionRequest, GetVersionResponse>;
    /**
     * GetIdentification returns the identifier of the daemon (the `identifier`
     * option of [supervisord], `supervisor` by default).
     */
    getIdentification: handleUnaryCall<GetIdentificationRequest, GetIdentificationResponse>;
    /** GetPID returns the process id of the daemon. */
    getPid: handleUnaryCall<GetPIDRequest, GetPIDResponse>;
    /**
     * Shutdown stops every process in descending priority order and then exits
     * the daemon. It returns as soon as the shutdown has begun.
     */
    shutdown: handleUnaryCall<ShutdownRequest, ShutdownResponse>;
    /**
     * Restart stops every process, reads the configuration file again and
     * starts everything again in the same daemon process (same pid), like
     * SIGHUP. It returns as soon as the restart has begun.
     */
    restart: handleUnaryCall<RestartRequest, RestartResponse>;
}
export interface SupervisorServiceClient extends Client {
    /**
     * GetState returns the daemon state. While the daemon shuts down or
     * restarts, every RPC of this API except SendRemoteCommEvent fails with
     * ERROR_REASON_SHUTDOWN_STATE, as in Supervisor 4.2.5.
     */
    getState(request: GetStateRequest, callback: (error: ServiceError | null, response: GetStateResponse) => void): ClientUnaryCall;
    getState(request: GetStateRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetStateResponse) => void): ClientUnaryCall;
    getState(request: GetStateRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetStateResponse) => void): ClientUnaryCall;
    /**
     * GetVersion returns the API version, the Supervisor version this daemon is
     * compatible with and the daemon's own version.
     */
    getVersion(request: GetVersionRequest, callback: (error: ServiceError | null, response: GetVersionResponse) => void): ClientUnaryCall;
    getVersion(request: GetVersionRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetVersionResponse) => void): ClientUnaryCall;
    getVersion(request: GetVersionRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetVersionResponse) => void): ClientUnaryCall;
    /**
     * GetIdentification returns the identifier of the daemon (the `identifier`
     * option of [supervisord], `supervisor` by default).
     */
    getIdentification(request: GetIdentificationRequest, callback: (error: ServiceError | null, response: GetIdentificationResponse) => void): ClientUnaryCall;
    getIdentification(request: GetIdentificationRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetIdentificationResponse) => void): ClientUnaryCall;
    getIdentification(request: GetIdentificationRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetIdentificationResponse) => void): ClientUnaryCall;
    /** GetPID returns the process id of the daemon. */
    getPid(request: GetPIDRequest, callback: (error: ServiceError | null, response: GetPIDResponse) => void): ClientUnaryCall;
    getPid(request: GetPIDRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetPIDResponse) => void): ClientUnaryCall;
    getPid(request: GetPIDRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetPIDResponse) => void): ClientUnaryCall;
    /**
     * Shutdown stops every process in descending priority order and then exits
     * the daemon. It returns as soon as the shutdown has begun.
     */
    shutdown(request: ShutdownRequest, callback: (error: ServiceError | null, response: ShutdownResponse) => void): ClientUnaryCall;
    shutdown(request: ShutdownRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ShutdownResponse) => void): ClientUnaryCall;
    shutdown(request: ShutdownRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ShutdownResponse) => void): ClientUnaryCall;
    /**
     * Restart stops every process, reads the configuration file again and
     * starts everything again in the same daemon process (same pid), like
     * SIGHUP. It returns as soon as the restart has begun.
     */
    restart(request: RestartRequest, callback: (error: ServiceError | null, response: RestartResponse) => void): ClientUnaryCall;
    restart(request: RestartRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RestartResponse) => void): ClientUnaryCall;
    restart(request: RestartRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RestartResponse) => void): ClientUnaryCall;
}
export declare const SupervisorServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): SupervisorServiceClient;
    service: typeof SupervisorServiceService;
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
