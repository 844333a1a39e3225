import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientReadableStream, type ClientUnaryCall, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { LogChannel } from "./log";
import { ProbeType, ProcessHealth, ProcessState } from "./process";
/**
 * EventType is the type of an event, named as in Supervisor. The base types
 * (EVENT, PROCESS_STATE, PROCESS_LOG, PROCESS_COMMUNICATION,
 * SUPERVISOR_STATE_CHANGE, PROCESS_GROUP, TICK) are only used in filters,
 * where they match every type below them.
 */
export declare enum EventType {
    /** EVENT_TYPE_UNSPECIFIED - Not set. */
    EVENT_TYPE_UNSPECIFIED = 0,
    /** EVENT_TYPE_EVENT - Base type of every event. */
    EVENT_TYPE_EVENT = 1,
    /** EVENT_TYPE_PROCESS_STATE - Base type of the process state changes. */
    EVENT_TYPE_PROCESS_STATE = 2,
    /** EVENT_TYPE_PROCESS_STATE_STOPPED - A process entered STOPPED. */
    EVENT_TYPE_PROCESS_STATE_STOPPED = 3,
    /** EVENT_TYPE_PROCESS_STATE_STARTING - A process entered STARTING. */
    EVENT_TYPE_PROCESS_STATE_STARTING = 4,
    /** EVENT_TYPE_PROCESS_STATE_RUNNING - A process entered RUNNING. */
    EVENT_TYPE_PROCESS_STATE_RUNNING = 5,
    /** EVENT_TYPE_PROCESS_STATE_BACKOFF - A process entered BACKOFF. */
    EVENT_TYPE_PROCESS_STATE_BACKOFF = 6,
    /** EVENT_TYPE_PROCESS_STATE_STOPPING - A process entered STOPPING. */
    EVENT_TYPE_PROCESS_STATE_STOPPING = 7,
    /** EVENT_TYPE_PROCESS_STATE_EXITED - A process entered EXITED. */
    EVENT_TYPE_PROCESS_STATE_EXITED = 8,
    /** EVENT_TYPE_PROCESS_STATE_FATAL - A process entered FATAL. */
    EVENT_TYPE_PROCESS_STATE_FATAL = 9,
    /** EVENT_TYPE_PROCESS_STATE_UNKNOWN - A process entered UNKNOWN. */
    EVENT_TYPE_PROCESS_STATE_UNKNOWN = 10,
    /** EVENT_TYPE_PROCESS_LOG - Base type of the process output events. */
    EVENT_TYPE_PROCESS_LOG = 11,
    /** EVENT_TYPE_PROCESS_LOG_STDOUT - A process wrote to stdout (stdout_events_enabled). */
    EVENT_TYPE_PROCESS_LOG_STDOUT = 12,
    /** EVENT_TYPE_PROCESS_LOG_STDERR - A process wrote to stderr (stderr_events_enabled). */
    EVENT_TYPE_PROCESS_LOG_STDERR = 13,
    /** EVENT_TYPE_PROCESS_COMMUNICATION - Base type of the capture-mode events. */
    EVENT_TYPE_PROCESS_COMMUNICATION = 14,
    /** EVENT_TYPE_PROCESS_COMMUNICATION_STDOUT - A process sent a capture-mode message on stdout. */
    EVENT_TYPE_PROCESS_COMMUNICATION_STDOUT = 15,
    /** EVENT_TYPE_PROCESS_COMMUNICATION_STDERR - A process sent a capture-mode message on stderr. */
    EVENT_TYPE_PROCESS_COMMUNICATION_STDERR = 16,
    /** EVENT_TYPE_REMOTE_COMMUNICATION - A client called SendRemoteCommEvent. */
    EVENT_TYPE_REMOTE_COMMUNICATION = 17,
    /** EVENT_TYPE_SUPERVISOR_STATE_CHANGE - Base type of the daemon state changes. */
    EVENT_TYPE_SUPERVISOR_STATE_CHANGE = 18,
    /** EVENT_TYPE_SUPERVISOR_STATE_CHANGE_RUNNING - The daemon entered RUNNING. */
    EVENT_TYPE_SUPERVISOR_STATE_CHANGE_RUNNING = 19,
    /** EVENT_TYPE_SUPERVISOR_STATE_CHANGE_STOPPING - The daemon began to shut down or restart. */
    EVENT_TYPE_SUPERVISOR_STATE_CHANGE_STOPPING = 20,
    /** EVENT_TYPE_PROCESS_GROUP - Base type of the process group changes. */
    EVENT_TYPE_PROCESS_GROUP = 21,
    /** EVENT_TYPE_PROCESS_GROUP_ADDED - A process group was added. */
    EVENT_TYPE_PROCESS_GROUP_ADDED = 22,
    /** EVENT_TYPE_PROCESS_GROUP_REMOVED - A process group was removed. */
    EVENT_TYPE_PROCESS_GROUP_REMOVED = 23,
    /** EVENT_TYPE_TICK - Base type of the periodic ticks. */
    EVENT_TYPE_TICK = 24,
    /** EVENT_TYPE_TICK_5 - Every 5 seconds. */
    EVENT_TYPE_TICK_5 = 25,
    /** EVENT_TYPE_TICK_60 - Every 60 seconds. */
    EVENT_TYPE_TICK_60 = 26,
    /** EVENT_TYPE_TICK_3600 - Every 3600 seconds. */
    EVENT_TYPE_TICK_3600 = 27,
    /**
     * EVENT_TYPE_PROCESS_HEALTH - Base type of the process health changes (gsupervisor's; never sent to a
     * Supervisor event listener).
     */
    EVENT_TYPE_PROCESS_HEALTH = 28,
    /**
     * EVENT_TYPE_PROCESS_HEALTH_CHANGED - A process's health changed (its probes passed, failed, or its child
     * started or went away).
     */
    EVENT_TYPE_PROCESS_HEALTH_CHANGED = 29,
    UNRECOGNIZED = -1
}
export declare function eventTypeFromJSON(object: any): EventType;
export declare function eventTypeToJSON(object: EventType): string;
/** EventGapCause is why a subscriber missed events. */
export declare enum EventGapCause {
    /** EVENT_GAP_CAUSE_UNSPECIFIED - Not set. */
    EVENT_GAP_CAUSE_UNSPECIFIED = 0,
    /** EVENT_GAP_CAUSE_NOT_RETAINED - The requested serial is older than the oldest retained event. */
    EVENT_GAP_CAUSE_NOT_RETAINED = 1,
    /** EVENT_GAP_CAUSE_SLOW_SUBSCRIBER - The subscriber read too slowly and its queue overflowed. */
    EVENT_GAP_CAUSE_SLOW_SUBSCRIBER = 2,
    UNRECOGNIZED = -1
}
export declare function eventGapCauseFromJSON(object: any): EventGapCause;
export declare function eventGapCauseToJSON(object: EventGapCause): string;
/** Event is one thing that happened in the daemon. */
export interface Event {
    /** The daemon-wide serial number, increasing by one for every event from 1. */
    serial: number;
    /** When the event happened. */
    time: Date | undefined;
    /** The concrete type of the event (never a base type). */
    type: EventType;
    /** The Supervisor name of the type, for example `PROCESS_STATE_RUNNING`. */
    name: string;
    /** For PROCESS_STATE_* events. */
    processState?: ProcessStateEvent | undefined;
    /** For PROCESS_LOG_* events. */
    processLog?: ProcessLogEvent | undefined;
    /** For PROCESS_COMMUNICATION_* events. */
    processCommunication?: ProcessCommunicationEvent | undefined;
    /** For REMOTE_COMMUNICATION events. */
    remoteCommunication?: RemoteCommunicationEvent | undefined;
    /** For SUPERVISOR_STATE_CHANGE_* events. */
    supervisorStateChange?: SupervisorStateChangeEvent | undefined;
    /** For PROCESS_GROUP_* events. */
    processGroup?: ProcessGroupEvent | undefined;
    /** For TICK_* events. */
    tick?: TickEvent | undefined;
    /** For PROCESS_HEALTH_CHANGED events. */
    processHealth?: ProcessHealthEvent | undefined;
}
/** ProcessHealthEvent is the payload of a process health change. */
export interface ProcessHealthEvent {
    /** The process name. */
    processName: string;
    /** The group name. */
    groupName: string;
    /** The health the process left. */
    fromHealth: ProcessHealth;
    /** The health it entered. */
    health: ProcessHealth;
    /**
     * The probe whose result changed it; unspecified when the child started or
     * went away.
     */
    probe: ProbeType;
    /** That result's output. */
    output: string;
    /** The process id (0 once the child is gone). */
    pid: number;
}
/** ProcessStateEvent is the payload of a process state change. */
export interface ProcessStateEvent {
    /** The process name. */
    processName: string;
    /** The group name. */
    groupName: string;
    /** The state the process left. */
    fromState: ProcessState;
    /** The state the process entered. */
    state: ProcessState;
    /** For EXITED: whether the exit code was expected. */
    expected: boolean;
    /**
     * The process id, for RUNNING, STOPPING, EXITED and STOPPED (0 when stopped
     * from BACKOFF).
     */
    pid: number;
    /** For STARTING and BACKOFF: the number of failed start attempts so far. */
    tries: number;
}
/** ProcessLogEvent is the payload of a PROCESS_LOG event. */
export interface ProcessLogEvent {
    /** The process name. */
    processName: string;
    /** The group name. */
    groupName: string;
    /** The process id. */
    pid: number;
    /** The channel the output came from. */
    channel: LogChannel;
    /** The output bytes. */
    data: Buffer;
}
/** ProcessCommunicationEvent is the payload of a PROCESS_COMMUNICATION event. */
export interface ProcessCommunicationEvent {
    /** The process name. */
    processName: string;
    /** The group name. */
    groupName: string;
    /** The process id. */
    pid: number;
    /** The channel the message came from. */
    channel: LogChannel;
    /** The bytes between the begin and end tokens. */
    data: Buffer;
}
/** RemoteCommunicationEvent is the payload of a REMOTE_COMMUNICATION event. */
export interface RemoteCommunicationEvent {
    /** The type string given by the sender. */
    type: string;
    /** The data given by the sender. */
    data: string;
}
/**
 * SupervisorStateChangeEvent is the (empty) payload of a daemon state change;
 * the event type tells which.
 */
export interface SupervisorStateChangeEvent {
}
/** ProcessGroupEvent is the payload of a PROCESS_GROUP event. */
export interface ProcessGroupEvent {
    /** The group name. */
    groupName: string;
}
/** TickEvent is the payload of a TICK event. */
export interface TickEvent {
    /**
     * The period boundary that passed (a multiple of the period, in Unix
     * seconds).
     */
    when: number;
}
/**
 * EventGap tells a subscriber that events matching its filter were not
 * delivered.
 */
export interface EventGap {
    /** The first serial that may have been missed. */
    firstSerial: number;
    /** The last serial that may have been missed. */
    lastSerial: number;
    /** Why the events were missed. */
    cause: EventGapCause;
}
/**
 * EventStreamReady marks the end of the replay: every later event on the
 * stream is new.
 */
export interface EventStreamReady {
    /** The serial of the newest event at the time of the marker (0 if none yet). */
    lastSerial: number;
}
/**
 * SubscribeEventsRequest is the filter of a subscription. Events match when
 * they match every non-empty part.
 */
export interface SubscribeEventsRequest {
    /** Event types, base types included; empty means every type. */
    types: EventType[];
    /**
     * Process namespecs (`group:name` or `name`); empty means every process.
     * Events that concern no process pass this filter.
     */
    processes: string[];
    /**
     * Group names; empty means every group. Events that concern no group
     * (ticks, daemon state, remote communication) pass this filter.
     */
    groups: string[];
    /**
     * Replay the retained events with a serial greater than this first (0
     * replays everything retained). Unset starts with new events only.
     */
    afterSerial?: number | undefined;
}
/** SubscribeEventsResponse is one message of the event stream. */
export interface SubscribeEventsResponse {
    /** An event. */
    event?: Event | undefined;
    /** Events that were not delivered. */
    gap?: EventGap | undefined;
    /** The replay is over; live events follow. */
    ready?: EventStreamReady | undefined;
}
/** SendRemoteCommEventRequest carries the remote communication event. */
export interface SendRemoteCommEventRequest {
    /** The type string of the event. */
    type: string;
    /** The data of the event. */
    data: string;
}
/** SendRemoteCommEventResponse confirms the event was emitted. */
export interface SendRemoteCommEventResponse {
}
export declare const Event: MessageFns<Event>;
export declare const ProcessHealthEvent: MessageFns<ProcessHealthEvent>;
export declare const ProcessStateEvent: MessageFns<ProcessStateEvent>;
export declare const ProcessLogEvent: MessageFns<ProcessLogEvent>;
export declare const ProcessCommunicationEvent: MessageFns<ProcessCommunicationEvent>;
export declare const RemoteCommunicationEvent: MessageFns<RemoteCommunicationEvent>;
export declare const SupervisorStateChangeEvent: MessageFns<SupervisorStateChangeEvent>;
export declare const ProcessGroupEvent: MessageFns<ProcessGroupEvent>;
export declare const TickEvent: MessageFns<TickEvent>;
export declare const EventGap: MessageFns<EventGap>;
export declare const EventStreamReady: MessageFns<EventStreamReady>;
export declare const SubscribeEventsRequest: MessageFns<SubscribeEventsRequest>;
export declare const SubscribeEventsResponse: MessageFns<SubscribeEventsResponse>;
export declare const SendRemoteCommEventRequest: MessageFns<SendRemoteCommEventRequest>;
export declare const SendRemoteCommEventResponse: MessageFns<SendRemoteCommEventResponse>;
/**
 * EventService streams the daemon's events and accepts remote communication
 * events.
 */
export type EventServiceService = typeof EventServiceService;
export declare const EventServiceService: {
    /**
     * SubscribeEvents streams events matching a filter. It first replays the
     * retained events after after_serial (if set), then sends a ready marker,
     * then every new event as it happens. When events the client asked for are
     * no longer retained, or the client reads too slowly and its queue
     * overflows, the stream carries an explicit EventGap instead of silently
     * skipping them.
     */
    readonly subscribeEvents: {
        readonly path: "/gsupervisor.v1.EventService/SubscribeEvents";
        readonly requestStream: false;
        readonly responseStream: true;
        readonly requestSerialize: (value: SubscribeEventsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SubscribeEventsRequest;
        readonly responseSerialize: (value: SubscribeEventsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SubscribeEventsResponse;
    };
    /**
     * SendRemoteCommEvent emits a REMOTE_COMMUNICATION event. It works even
     * while the daemon shuts down. A payload (type and data together) larger
     * than 1 MiB fails with ERROR_REASON_BAD_ARGUMENTS.
     */
    readonly sendRemoteCommEvent: {
        readonly path: "/gsupervisor.v1.EventService/SendRemoteCommEvent";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: SendRemoteCommEventRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SendRemoteCommEventRequest;
        readonly responseSerialize: (value: SendRemoteCommEventResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SendRemoteCommEventResponse;
    };
};
export interface EventServiceServer extends UntypedServiceImplementation {
    /**
     * SubscribeEvents streams events matching a filter. It first replays the
     * retained events after after_serial (if set), then sends a ready marker,
     * then every new event as it happens. When events the client asked for are
     * no longer retained, or the client reads too slowly and its queue
     * overflows, the stream carries an explicit EventGap instead of silently
     * skipping them.
     */
    subscribeEvents: handleServerStreamingCall<SubscribeEventsRequest, SubscribeEventsResponse>;
    /**
     * SendRemoteCommEvent emits a REMOTE_COMMUNICATION event. It works even
     * while the daemon shuts down. A payload (type and data together) larger
     * than 1 MiB fails with ERROR_REASON_BAD_ARGUMENTS.
     */
    sendRemoteCommEvent: handleUnaryCall<SendRemoteCommEventRequest, SendRemoteCommEventResponse>;
}
export interface EventServiceClient extends Client {
    /**
     * SubscribeEvents streams events matching a filter. It first replays the
     * retained events after after_serial (if set), then sends a ready marker,
     * then every new event as it happens. When events the client asked for are
     * no longer retained, or the client reads too slowly and its queue
     * overflows, the stream carries an explicit EventGap instead of silently
     * skipping them.
     */
    subscribeEvents(request: SubscribeEventsRequest, options?: Partial<CallOptions>): ClientReadableStream<SubscribeEventsResponse>;
    subscribeEvents(request: SubscribeEventsRequest, metadata?: Metadata, options?: Partial<CallOptions>): ClientReadableStream<SubscribeEventsResponse>;
    /**
     * SendRemoteCommEvent emits a REMOTE_COMMUNICATION event. It works even
     * while the daemon shuts down. A payload (type and data together) larger
     * than 1 MiB fails with ERROR_REASON_BAD_ARGUMENTS.
     */
    sendRemoteCommEvent(request: SendRemoteCommEventRequest, callback: (error: ServiceError | null, response: SendRemoteCommEventResponse) => void): ClientUnaryCall;
    sendRemoteCommEvent(request: SendRemoteCommEventRequest, metadata: Metadata, callback: (error: ServiceError | null, response: SendRemoteCommEventResponse) => void): ClientUnaryCall;
    sendRemoteCommEvent(request: SendRemoteCommEventRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: SendRemoteCommEventResponse) => void): ClientUnaryCall;
}
export declare const EventServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): EventServiceClient;
    service: typeof EventServiceService;
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
