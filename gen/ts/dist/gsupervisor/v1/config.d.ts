import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Duration } from "../../google/protobuf/duration";
import { ErrorReason } from "./errors";
import { ProcessResult } from "./process";
/**
 * GroupChangeKind is how a process group differs between the running and the
 * parsed configuration.
 */
export declare enum GroupChangeKind {
    /** GROUP_CHANGE_KIND_UNSPECIFIED - Not set. */
    GROUP_CHANGE_KIND_UNSPECIFIED = 0,
    /** GROUP_CHANGE_KIND_ADDED - The group is new in the file (`available` in supervisorctl). */
    GROUP_CHANGE_KIND_ADDED = 1,
    /** GROUP_CHANGE_KIND_CHANGED - The group's configuration changed (`changed`). */
    GROUP_CHANGE_KIND_CHANGED = 2,
    /** GROUP_CHANGE_KIND_REMOVED - The group is no longer in the file (`disappeared`). */
    GROUP_CHANGE_KIND_REMOVED = 3,
    UNRECOGNIZED = -1
}
export declare function groupChangeKindFromJSON(object: any): GroupChangeKind;
export declare function groupChangeKindToJSON(object: GroupChangeKind): string;
/** GroupChange is the plan for one process group. */
export interface GroupChange {
    /** The group name. */
    group: string;
    /** How the group changes. */
    kind: GroupChangeKind;
    /** For a changed group, every option whose value differs. */
    options: OptionChange[];
}
/**
 * OptionChange is one option whose value differs between the running and
 * the parsed configuration.
 */
export interface OptionChange {
    /**
     * The process the option belongs to; empty for a group-level option
     * (priority, the list of processes).
     */
    process: string;
    /** The option name as in the configuration file (`command`, `numprocs`, …). */
    option: string;
    /** The running value, rendered as text; empty if the process is new. */
    oldValue: string;
    /** The parsed value, rendered as text; empty if the process disappears. */
    newValue: string;
}
/** RereadConfigRequest asks for a reread. */
export interface RereadConfigRequest {
}
/** RereadConfigResponse carries the difference and the plan. */
export interface RereadConfigResponse {
    /** Names of the groups that are new, sorted. */
    added: string[];
    /** Names of the groups whose configuration changed, sorted. */
    changed: string[];
    /** Names of the groups that disappeared, sorted. */
    removed: string[];
    /** The plan: one entry per added, changed or removed group, by name. */
    plan: GroupChange[];
    /** A token naming this exact parsed configuration, to pass to UpdateConfig. */
    revision: string;
}
/** UpdateConfigRequest asks to apply the configuration. */
export interface UpdateConfigRequest {
    /** Only these groups (empty: all groups, like `update` or `update all`). */
    groups: string[];
    /**
     * If set, apply only if the file still parses to this revision (from
     * RereadConfig); otherwise fail with ERROR_REASON_REVISION_MISMATCH.
     */
    revision: string;
    /**
     * How long to wait for the processes of a removed or changed group to
     * stop; a group still not stopped then is reported with
     * ERROR_REASON_STILL_RUNNING and left in place. Unset waits as long as
     * the processes' stopwaitsecs and SIGKILL need.
     */
    stopTimeout: Duration | undefined;
}
/** GroupUpdateResult is the outcome for one process group of an update. */
export interface GroupUpdateResult {
    /** The group name. */
    group: string;
    /**
     * What was done to the group; unspecified for a requested group that is
     * neither active nor configured (then reason is ERROR_REASON_BAD_NAME).
     */
    kind: GroupChangeKind;
    /**
     * ERROR_REASON_UNSPECIFIED on success; otherwise why the group could not
     * be updated (for example a process that would not stop).
     */
    reason: ErrorReason;
    /** `OK` on success, otherwise the error text. */
    description: string;
    /**
     * The outcomes of stopping the group's processes, for removed and changed
     * groups.
     */
    stopResults: ProcessResult[];
}
/** UpdateConfigResponse carries the per-group outcomes. */
export interface UpdateConfigResponse {
    /**
     * One result per acted-on group: unknown requested groups first, then
     * removed groups, changed groups and added groups, each sorted by name.
     */
    results: GroupUpdateResult[];
    /** The revision that was applied. */
    revision: string;
}
/** AddProcessGroupRequest names the group to add. */
export interface AddProcessGroupRequest {
    /** The group name. */
    group: string;
}
/** AddProcessGroupResponse confirms the group was added. */
export interface AddProcessGroupResponse {
}
/** RemoveProcessGroupRequest names the group to remove. */
export interface RemoveProcessGroupRequest {
    /** The group name. */
    group: string;
}
/** RemoveProcessGroupResponse confirms the group was removed. */
export interface RemoveProcessGroupResponse {
}
export declare const GroupChange: MessageFns<GroupChange>;
export declare const OptionChange: MessageFns<OptionChange>;
export declare const RereadConfigRequest: MessageFns<RereadConfigRequest>;
export declare const RereadConfigResponse: MessageFns<RereadConfigResponse>;
export declare const UpdateConfigRequest: MessageFns<UpdateConfigRequest>;
export declare const GroupUpdateResult: MessageFns<GroupUpdateResult>;
export declare const UpdateConfigResponse: MessageFns<UpdateConfigResponse>;
export declare const AddProcessGroupRequest: MessageFns<AddProcessGroupRequest>;
export declare const AddProcessGroupResponse: MessageFns<AddProcessGroupResponse>;
export declare const RemoveProcessGroupRequest: MessageFns<RemoveProcessGroupRequest>;
export declare const RemoveProcessGroupResponse: MessageFns<RemoveProcessGroupResponse>;
/**
 * ConfigService changes the running configuration: reread the file and plan,
 * apply the plan, add and remove process groups.
 */
export type ConfigServiceService = typeof ConfigServiceService;
export declare const ConfigServiceService: {
    /**
     * RereadConfig parses the configuration file again and returns what would
     * change (Supervisor's reloadConfig): the added, changed and removed process
     * groups, a field-level plan and a revision token. Nothing is applied. A
     * broken file fails with ERROR_REASON_CANT_REREAD and the parser's message.
     */
    readonly rereadConfig: {
        readonly path: "/gsupervisor.v1.ConfigService/RereadConfig";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RereadConfigRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RereadConfigRequest;
        readonly responseSerialize: (value: RereadConfigResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RereadConfigResponse;
    };
    /**
     * UpdateConfig applies the last reread (rereading first): removed groups are
     * stopped and removed, changed groups stopped and re-created, added groups
     * added (and their autostart processes started); unchanged groups are left
     * alone. With a revision, it fails with ERROR_REASON_REVISION_MISMATCH if
     * the configuration no longer matches the plan the revision names.
     */
    readonly updateConfig: {
        readonly path: "/gsupervisor.v1.ConfigService/UpdateConfig";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: UpdateConfigRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => UpdateConfigRequest;
        readonly responseSerialize: (value: UpdateConfigResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => UpdateConfigResponse;
    };
    /**
     * AddProcessGroup activates a group of the last parsed configuration and
     * starts its autostart processes.
     */
    readonly addProcessGroup: {
        readonly path: "/gsupervisor.v1.ConfigService/AddProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: AddProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => AddProcessGroupRequest;
        readonly responseSerialize: (value: AddProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => AddProcessGroupResponse;
    };
    /**
     * RemoveProcessGroup removes an active group whose processes are all
     * stopped.
     */
    readonly removeProcessGroup: {
        readonly path: "/gsupervisor.v1.ConfigService/RemoveProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RemoveProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RemoveProcessGroupRequest;
        readonly responseSerialize: (value: RemoveProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RemoveProcessGroupResponse;
    };
};
export interface ConfigServiceServer extends UntypedServiceImplementation {
    /**
     * RereadConfig parses the configuration file again and returns what would
     * change (Supervisor's reloadConfig): the added, changed and removed process
     * groups, a field-level plan and a revision token. Nothing is applied. A
     * broken file fails with ERROR_REASON_CANT_REREAD and the parser's message.
     */
    rereadConfig: handleUnaryCall<RereadConfigRequest, RereadConfigResponse>;
    /**
     * UpdateConfig applies the last reread (rereading first): removed groups are
     * stopped and removed, changed groups stopped and re-created, added groups
     * added (and their autostart processes started); unchanged groups are left
     * alone. With a revision, it fails with ERROR_REASON_REVISION_MISMATCH if
     * the configuration no longer matches the plan the revision names.
     */
    updateConfig: handleUnaryCall<UpdateConfigRequest, UpdateConfigResponse>;
    /**
     * AddProcessGroup activates a group of the last parsed configuration and
     * starts its autostart processes.
     */
    addProcessGroup: handleUnaryCall<AddProcessGroupRequest, AddProcessGroupResponse>;
    /**
     * RemoveProcessGroup removes an active group whose processes are all
     * stopped.
     */
    removeProcessGroup: handleUnaryCall<RemoveProcessGroupRequest, RemoveProcessGroupResponse>;
}
export interface ConfigServiceClient extends Client {
    /**
     * RereadConfig parses the configuration file again and returns what would
     * change (Supervisor's reloadConfig): the added, changed and removed process
     * groups, a field-level plan and a revision token. Nothing is applied. A
     * broken file fails with ERROR_REASON_CANT_REREAD and the parser's message.
     */
    rereadConfig(request: RereadConfigRequest, callback: (error: ServiceError | null, response: RereadConfigResponse) => void): ClientUnaryCall;
    rereadConfig(request: RereadConfigRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RereadConfigResponse) => void): ClientUnaryCall;
    rereadConfig(request: RereadConfigRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RereadConfigResponse) => void): ClientUnaryCall;
    /**
     * UpdateConfig applies the last reread (rereading first): removed groups are
     * stopped and removed, changed groups stopped and re-created, added groups
     * added (and their autostart processes started); unchanged groups are left
     * alone. With a revision, it fails with ERROR_REASON_REVISION_MISMATCH if
     * the configuration no longer matches the plan the revision names.
     */
    updateConfig(request: UpdateConfigRequest, callback: (error: ServiceError | null, response: UpdateConfigResponse) => void): ClientUnaryCall;
    updateConfig(request: UpdateConfigRequest, metadata: Metadata, callback: (error: ServiceError | null, response: UpdateConfigResponse) => void): ClientUnaryCall;
    updateConfig(request: UpdateConfigRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: UpdateConfigResponse) => void): ClientUnaryCall;
    /**
     * AddProcessGroup activates a group of the last parsed configuration and
     * starts its autostart processes.
     */
    addProcessGroup(request: AddProcessGroupRequest, callback: (error: ServiceError | null, response: AddProcessGroupResponse) => void): ClientUnaryCall;
    addProcessGroup(request: AddProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: AddProcessGroupResponse) => void): ClientUnaryCall;
    addProcessGroup(request: AddProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: AddProcessGroupResponse) => void): ClientUnaryCall;
    /**
     * RemoveProcessGroup removes an active group whose processes are all
     * stopped.
     */
    removeProcessGroup(request: RemoveProcessGroupRequest, callback: (error: ServiceError | null, response: RemoveProcessGroupResponse) => void): ClientUnaryCall;
    removeProcessGroup(request: RemoveProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RemoveProcessGroupResponse) => void): ClientUnaryCall;
    removeProcessGroup(request: RemoveProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RemoveProcessGroupResponse) => void): ClientUnaryCall;
}
export declare const ConfigServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): ConfigServiceClient;
    service: typeof ConfigServiceService;
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
