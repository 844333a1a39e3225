import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { type CallOptions, type ChannelCredentials, Client, type ClientOptions, type ClientUnaryCall, type handleUnaryCall, type Metadata, type ServiceError, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { Duration } from "../../google/protobuf/duration";
import { ErrorReason } from "./errors";
/** ProcessHealth is what a process's readiness and liveness probes say. */
export declare enum ProcessHealth {
    /** PROCESS_HEALTH_UNSPECIFIED - Not set. */
    PROCESS_HEALTH_UNSPECIFIED = 0,
    /** PROCESS_HEALTH_UNKNOWN - The process has no probe, or no live child. */
    PROCESS_HEALTH_UNKNOWN = 1,
    /** PROCESS_HEALTH_STARTING - The process was spawned and its probes have not passed yet. */
    PROCESS_HEALTH_STARTING = 2,
    /**
     * PROCESS_HEALTH_HEALTHY - Its probes pass (the readiness probe passed; the liveness probe does not
     * fail).
     */
    PROCESS_HEALTH_HEALTHY = 3,
    /**
     * PROCESS_HEALTH_UNHEALTHY - A probe fails: the liveness probe failed failure_threshold times in a
     * row, or the readiness probe did after it had passed.
     */
    PROCESS_HEALTH_UNHEALTHY = 4,
    UNRECOGNIZED = -1
}
export declare function processHealthFromJSON(object: any): ProcessHealth;
export declare function processHealthToJSON(object: ProcessHealth): string;
/** ProbeType names a process's probe. */
export declare enum ProbeType {
    /** PROBE_TYPE_UNSPECIFIED - Not set. */
    PROBE_TYPE_UNSPECIFIED = 0,
    /** PROBE_TYPE_READINESS - The readiness probe (readiness_probe): when the process is ready. */
    PROBE_TYPE_READINESS = 1,
    /** PROBE_TYPE_LIVENESS - The liveness probe (liveness_probe): whether the process still works. */
    PROBE_TYPE_LIVENESS = 2,
    UNRECOGNIZED = -1
}
export declare function probeTypeFromJSON(object: any): ProbeType;
export declare function probeTypeToJSON(object: ProbeType): string;
/**
 * ProcessState is the state of a supervised process (Supervisor's process
 * state machine).
 */
export declare enum ProcessState {
    /** PROCESS_STATE_UNSPECIFIED - Not set. */
    PROCESS_STATE_UNSPECIFIED = 0,
    /** PROCESS_STATE_STOPPED - Stopped by request, or never started (legacy code 0). */
    PROCESS_STATE_STOPPED = 1,
    /** PROCESS_STATE_STARTING - Spawned, waiting for startsecs to pass (legacy code 10). */
    PROCESS_STATE_STARTING = 2,
    /** PROCESS_STATE_RUNNING - Stayed up longer than startsecs (legacy code 20). */
    PROCESS_STATE_RUNNING = 3,
    /** PROCESS_STATE_BACKOFF - The start failed; it will be retried after a linear back-off (legacy code 30). */
    PROCESS_STATE_BACKOFF = 4,
    /** PROCESS_STATE_STOPPING - The stop signal was sent; waiting for the process to exit (legacy code 40). */
    PROCESS_STATE_STOPPING = 5,
    /** PROCESS_STATE_EXITED - Exited on its own from RUNNING, expectedly or not (legacy code 100). */
    PROCESS_STATE_EXITED = 6,
    /** PROCESS_STATE_FATAL - Gave up after too many failed starts (legacy code 200). */
    PROCESS_STATE_FATAL = 7,
    /** PROCESS_STATE_UNKNOWN - An internal error left the state unknown (legacy code 1000). */
    PROCESS_STATE_UNKNOWN = 8,
    UNRECOGNIZED = -1
}
export declare function processStateFromJSON(object: any): ProcessState;
export declare function processStateToJSON(object: ProcessState): string;
/**
 * ListenerState is the protocol state of an event listener process
 * ([eventlistener:x]).
 */
export declare enum ListenerState {
    /** LISTENER_STATE_UNSPECIFIED - Not an event listener, or not set. */
    LISTENER_STATE_UNSPECIFIED = 0,
    /** LISTENER_STATE_READY - Ready to receive an event (legacy code 10). */
    LISTENER_STATE_READY = 1,
    /** LISTENER_STATE_BUSY - Processing an event (legacy code 20). */
    LISTENER_STATE_BUSY = 2,
    /** LISTENER_STATE_ACKNOWLEDGED - Acknowledged an event and not yet ready again (legacy code 30). */
    LISTENER_STATE_ACKNOWLEDGED = 3,
    /** LISTENER_STATE_UNKNOWN - Violated the protocol; receives no more events (legacy code 40). */
    LISTENER_STATE_UNKNOWN = 4,
    UNRECOGNIZED = -1
}
export declare function listenerStateFromJSON(object: any): ListenerState;
export declare function listenerStateToJSON(object: ListenerState): string;
/** ProbeKind is how a probe checks. */
export declare enum ProbeKind {
    /** PROBE_KIND_UNSPECIFIED - Not set. */
    PROBE_KIND_UNSPECIFIED = 0,
    /**
     * PROBE_KIND_EXEC - Runs a command with the program's environment, directory and user; exit
     * status 0 passes.
     */
    PROBE_KIND_EXEC = 1,
    /** PROBE_KIND_HTTP - Sends GET to a URL; a 2xx or 3xx status passes. */
    PROBE_KIND_HTTP = 2,
    /** PROBE_KIND_TCP - Connects to host:port; a connection passes. */
    PROBE_KIND_TCP = 3,
    /** PROBE_KIND_LOG - Waits for an output line matching a regular expression (readiness only). */
    PROBE_KIND_LOG = 4,
    UNRECOGNIZED = -1
}
export declare function probeKindFromJSON(object: any): ProbeKind;
export declare function probeKindToJSON(object: ProbeKind): string;
/** LivenessAction is what a failed liveness probe does. */
export declare enum LivenessAction {
    /** LIVENESS_ACTION_UNSPECIFIED - Not set. */
    LIVENESS_ACTION_UNSPECIFIED = 0,
    /** LIVENESS_ACTION_RESTART - Restart the process (the default). */
    LIVENESS_ACTION_RESTART = 1,
    /** LIVENESS_ACTION_REPORT - Only report it unhealthy. */
    LIVENESS_ACTION_REPORT = 2,
    UNRECOGNIZED = -1
}
export declare function livenessActionFromJSON(object: any): LivenessAction;
export declare function livenessActionToJSON(object: LivenessAction): string;
/** BackoffPolicy is how the wait between failed starts grows. */
export declare enum BackoffPolicy {
    /** BACKOFF_POLICY_UNSPECIFIED - Not set. */
    BACKOFF_POLICY_UNSPECIFIED = 0,
    /**
     * BACKOFF_POLICY_LINEAR - 1 s after the first failed start, 2 s after the second, … (Supervisor's;
     * the default).
     */
    BACKOFF_POLICY_LINEAR = 1,
    /** BACKOFF_POLICY_EXPONENTIAL - 1, 2, 4, 8, … s, capped at backoff_max_secs. */
    BACKOFF_POLICY_EXPONENTIAL = 2,
    UNRECOGNIZED = -1
}
export declare function backoffPolicyFromJSON(object: any): BackoffPolicy;
export declare function backoffPolicyToJSON(object: BackoffPolicy): string;
/** DependencyCondition is what a dependency must reach. */
export declare enum DependencyCondition {
    /** DEPENDENCY_CONDITION_UNSPECIFIED - Not set. */
    DEPENDENCY_CONDITION_UNSPECIFIED = 0,
    /** DEPENDENCY_CONDITION_RUNNING - RUNNING: it stayed up for startsecs (the default). */
    DEPENDENCY_CONDITION_RUNNING = 1,
    /** DEPENDENCY_CONDITION_STARTED - Spawned: STARTING or later. */
    DEPENDENCY_CONDITION_STARTED = 2,
    /** DEPENDENCY_CONDITION_HEALTHY - Its readiness (or liveness) probe passed. */
    DEPENDENCY_CONDITION_HEALTHY = 3,
    /** DEPENDENCY_CONDITION_COMPLETED - EXITED with an expected exit code (a one-shot task). */
    DEPENDENCY_CONDITION_COMPLETED = 4,
    UNRECOGNIZED = -1
}
export declare function dependencyConditionFromJSON(object: any): DependencyCondition;
export declare function dependencyConditionToJSON(object: DependencyCondition): string;
/** ProgramKind is the kind of configuration section a process comes from. */
export declare enum ProgramKind {
    /** PROGRAM_KIND_UNSPECIFIED - Not set. */
    PROGRAM_KIND_UNSPECIFIED = 0,
    /** PROGRAM_KIND_PROGRAM - A [program:x] section. */
    PROGRAM_KIND_PROGRAM = 1,
    /** PROGRAM_KIND_EVENT_LISTENER - An [eventlistener:x] section. */
    PROGRAM_KIND_EVENT_LISTENER = 2,
    /** PROGRAM_KIND_FCGI_PROGRAM - An [fcgi-program:x] section. */
    PROGRAM_KIND_FCGI_PROGRAM = 3,
    UNRECOGNIZED = -1
}
export declare function programKindFromJSON(object: any): ProgramKind;
export declare function programKindToJSON(object: ProgramKind): string;
/** ProbeResult is the outcome of one check of a probe. */
export interface ProbeResult {
    /** Which probe ran. */
    probe: ProbeType;
    /** When the check started. */
    time: Date | undefined;
    /** How long it took. */
    duration: Duration | undefined;
    /** Whether it passed. */
    passed: boolean;
    /**
     * What happened: the command's output, the HTTP status, the connection
     * error, the matched log line (at most 1 KiB).
     */
    output: string;
}
/**
 * ProcessInfo is the runtime information of one process (Supervisor's
 * getProcessInfo).
 */
export interface ProcessInfo {
    /** The process name. */
    name: string;
    /** The name of the process's group. */
    group: string;
    /**
     * The name to address the process by: `group:name`, or `name` when the
     * group has the same name.
     */
    namespec: string;
    /** When the process was last spawned; unset if never. */
    startTime: Date | undefined;
    /** When the process last exited; unset if never. */
    stopTime: Date | undefined;
    /** When this information was produced (the daemon's clock). */
    now: Date | undefined;
    /** The current state. */
    state: ProcessState;
    /**
     * The last spawn error, for example `Exited too quickly (process log may
     * have details)`, `Bad exit code 3` or `can't find command 'x'`; empty if none.
     */
    spawnError: string;
    /**
     * The last exit status: the exit code, or -1 if the process was killed by
     * a signal; 0 if it never exited.
     */
    exitStatus: number;
    /** The path of the stdout log file; empty if stdout is not logged. */
    stdoutLogfile: string;
    /** The path of the stderr log file; empty if stderr is not logged. */
    stderrLogfile: string;
    /** The process id; 0 when not running. */
    pid: number;
    /**
     * The human description Supervisor shows in `status`: `pid 123, uptime
     * 0:08:07` when RUNNING, the spawn error in BACKOFF/FATAL, `Not started`
     * or the stop time (`Nov 21 04:52 AM`, local time) when STOPPED/EXITED.
     */
    description: string;
    /** The listener protocol state, for processes of an [eventlistener:x] pool. */
    listenerState: ListenerState;
    /**
     * Whether the last exit was expected (its code is in exitcodes); only
     * meaningful in EXITED.
     */
    exitExpected: boolean;
    /**
     * What the process's probes say (PROCESS_HEALTH_UNKNOWN without probes or
     * a live child).
     */
    health: ProcessHealth;
    /** The last result of its probes; unset before the first check. */
    lastProbe: ProbeResult | undefined;
    /** Whether its program is disabled (DisableProgram). */
    disabled: boolean;
    /**
     * For a start waiting for its dependencies, what it waits for (`waiting
     * for db to be healthy`); after such a start failed, why (`not started:
     * dependency db is FATAL`); empty otherwise.
     */
    waiting: string;
    /** In BACKOFF, when the next start attempt happens; unset otherwise. */
    nextAttemptTime: Date | undefined;
    /** The counters of the stdout log file; unset if stdout is not logged. */
    stdoutLogStats: LogStats | undefined;
    /** The counters of the stderr log file; unset if stderr is not logged. */
    stderrLogStats: LogStats | undefined;
}
/**
 * LogStats are the counters of one log file since the daemon opened it.
 * Every byte a program writes is in the log (or its rotated backups) or
 * counted in dropped_bytes; the main log reports drops and failed
 * rotations too, at most one report every few seconds per file.
 */
export interface LogStats {
    /** The bytes written to the file. */
    writtenBytes: number;
    /**
     * The bytes that could not be written: the disk was full, the file was
     * deleted and could not be created again (its directory removed), or
     * another I/O error.
     */
    droppedBytes: number;
    /** The completed rotations (and truncations in place with backups=0). */
    rotations: number;
    /**
     * The failed rotation attempts; the file then keeps growing and nothing
     * is lost.
     */
    rotationFailures: number;
    /** The error of the most recent drop; empty if none. */
    lastDropError: string;
}
/**
 * ProcessConfig is the configuration of one process (Supervisor's
 * getAllConfigInfo).
 */
export interface ProcessConfig {
    /** The process name. */
    name: string;
    /** The group name. */
    group: string;
    /**
     * Whether the group is active in the daemon (false for a group that is
     * configured but not added yet).
     */
    inUse: boolean;
    /** The priority of the group. */
    groupPriority: number;
    /** The priority of the process. */
    processPriority: number;
    /** Whether the process starts when its group is added. */
    autostart: boolean;
    /** The command line, after expansion. */
    command: string;
    /** The working directory; unset if none is configured. */
    directory?: string | undefined;
    /** The user id the process runs as; unset if none is configured. */
    uid?: number | undefined;
    /** The exit codes that count as expected. */
    exitCodes: number[];
    /** Whether SIGKILL is sent to the whole process group. */
    killAsGroup: boolean;
    /** Whether the stop signal is sent to the whole process group. */
    stopAsGroup: boolean;
    /** Whether stderr is redirected to stdout. */
    redirectStderr: boolean;
    /** How many times a failed start is retried before FATAL. */
    startRetries: number;
    /** How many seconds the process must stay up to count as started. */
    startSecs: number;
    /** The stop signal number. */
    stopSignal: number;
    /** How many seconds to wait after the stop signal before SIGKILL. */
    stopWaitSecs: number;
    /** The configuration of the stdout channel. */
    stdout: ChannelConfig | undefined;
    /** The configuration of the stderr channel. */
    stderr: ChannelConfig | undefined;
    /** The SUPERVISOR_SERVER_URL given to the process; unset for the default. */
    serverUrl?: string | undefined;
    /** The kind of section that defines the process. */
    kind: ProgramKind;
    /** The process's %(process_num)s. */
    processNum: number;
    /**
     * The number of processes of its group now (a runtime ScaleProgram
     * included); 0 for a [group:x] of several programs.
     */
    numprocs: number;
    /** The numprocs the configuration file sets for its group. */
    fileNumprocs: number;
    /** The readiness probe (readiness_*); unset for none. */
    readinessProbe: ProbeConfig | undefined;
    /** The liveness probe (liveness_*); unset for none. */
    livenessProbe: ProbeConfig | undefined;
    /** What a failed liveness probe does (liveness_action). */
    livenessAction: LivenessAction;
    /** The dependencies (depends_on), in file order. */
    dependsOn: Dependency[];
    /** The back-off policy between failed starts (backoff). */
    backoff: BackoffPolicy;
    /** The cap of the exponential back-off, in seconds (backoff_maxsecs). */
    backoffMaxSecs: number;
}
/** ProbeConfig is the configuration of a readiness or liveness probe. */
export interface ProbeConfig {
    /**
     * The option's value: `exec:<command>`, an http(s):// URL,
     * `tcp:<host>:<port>` or `log:<regex>`.
     */
    spec: string;
    /** How the probe checks. */
    kind: ProbeKind;
    /** The command, URL, host:port or regular expression. */
    target: string;
    /** The wait after a spawn before the first check. */
    initialDelay: Duration | undefined;
    /** The time between the starts of two checks. */
    period: Duration | undefined;
    /** The bound of one check. */
    timeout: Duration | undefined;
    /** Consecutive passes that make the probe pass. */
    successThreshold: number;
    /** Consecutive failures that make it fail. */
    failureThreshold: number;
}
/** Dependency is one entry of depends_on. */
export interface Dependency {
    /** The target as written: a program name, `group:*` or `group:process`. */
    name: string;
    /** What the target's processes must reach before the dependent starts. */
    condition: DependencyCondition;
}
/** ChannelConfig is the logging configuration of one output channel. */
export interface ChannelConfig {
    /**
     * The log file: a path, `AUTO` for an automatic file in childlogdir that
     * has not been created yet, or empty when the channel is not logged (NONE).
     */
    logfile: string;
    /** The size in bytes at which the log is rotated; 0 never rotates. */
    logfileMaxbytes: number;
    /** How many rotated backups are kept. */
    logfileBackups: number;
    /** The capture-mode buffer size in bytes; 0 disables capture mode. */
    captureMaxbytes: number;
    /** Whether PROCESS_LOG events are emitted for the channel's output. */
    eventsEnabled: boolean;
    /** Whether the output is also sent to syslog. */
    syslog: boolean;
}
/**
 * ProcessResult is the outcome for one process of a group or "all"
 * operation.
 */
export interface ProcessResult {
    /** The process name. */
    name: string;
    /** The group name. */
    group: string;
    /**
     * ERROR_REASON_UNSPECIFIED on success, otherwise why the operation failed
     * for this process.
     */
    reason: ErrorReason;
    /** `OK` on success, otherwise the legacy fault string (`SPAWN_ERROR: web`). */
    description: string;
}
/** GetProcessRequest names the process to describe. */
export interface GetProcessRequest {
    /** The namespec of the process (`group:name` or `name`). */
    name: string;
}
/** GetProcessResponse carries one process's information. */
export interface GetProcessResponse {
    /** The process information. */
    process: ProcessInfo | undefined;
}
/** ListProcessesRequest asks for every process. */
export interface ListProcessesRequest {
}
/** ListProcessesResponse carries every process's information. */
export interface ListProcessesResponse {
    /** The processes, ordered by group name and then process name. */
    processes: ProcessInfo[];
}
/** ListProcessConfigsRequest asks for every configured process. */
export interface ListProcessConfigsRequest {
}
/** ListProcessConfigsResponse carries every configured process. */
export interface ListProcessConfigsResponse {
    /** The process configurations, ordered by process name. */
    configs: ProcessConfig[];
}
/** StartProcessRequest names the process to start. */
export interface StartProcessRequest {
    /** The namespec of the process. */
    name: string;
    /** Whether to wait until the process is RUNNING (or has failed). */
    wait: boolean;
}
/** StartProcessResponse carries the process after the start. */
export interface StartProcessResponse {
    /** The process information after the start. */
    process: ProcessInfo | undefined;
    /**
     * The dependencies (depends_on) this start started first because they were
     * not running and not on their way, as namespecs.
     */
    startedDependencies: string[];
}
/** StartProcessGroupRequest names the group to start. */
export interface StartProcessGroupRequest {
    /** The group name. */
    group: string;
    /** Whether to wait until every process is RUNNING (or has failed). */
    wait: boolean;
}
/** StartProcessGroupResponse carries the per-process outcomes. */
export interface StartProcessGroupResponse {
    /** One result per process acted on, in priority order. */
    results: ProcessResult[];
}
/** StartAllProcessesRequest asks to start every process. */
export interface StartAllProcessesRequest {
    /** Whether to wait until every process is RUNNING (or has failed). */
    wait: boolean;
}
/** StartAllProcessesResponse carries the per-process outcomes. */
export interface StartAllProcessesResponse {
    /** One result per process acted on, in priority order. */
    results: ProcessResult[];
}
/** StopProcessRequest names the process to stop. */
export interface StopProcessRequest {
    /** The namespec of the process. */
    name: string;
    /** Whether to wait until the process is stopped. */
    wait: boolean;
}
/** StopProcessResponse carries the process after the stop. */
export interface StopProcessResponse {
    /** The process information after the stop. */
    process: ProcessInfo | undefined;
}
/** StopProcessGroupRequest names the group to stop. */
export interface StopProcessGroupRequest {
    /** The group name. */
    group: string;
    /** Whether to wait until every process is stopped. */
    wait: boolean;
}
/** StopProcessGroupResponse carries the per-process outcomes. */
export interface StopProcessGroupResponse {
    /** One result per process acted on, in priority order. */
    results: ProcessResult[];
}
/** StopAllProcessesRequest asks to stop every process. */
export interface StopAllProcessesRequest {
    /** Whether to wait until every process is stopped. */
    wait: boolean;
}
/** StopAllProcessesResponse carries the per-process outcomes. */
export interface StopAllProcessesResponse {
    /** One result per process acted on, in priority order. */
    results: ProcessResult[];
}
/** RestartProcessRequest names the process to restart. */
export interface RestartProcessRequest {
    /** The namespec of the process. */
    name: string;
    /** Whether to wait until the process is RUNNING again (or has failed). */
    wait: boolean;
}
/** RestartProcessResponse carries the process after the restart. */
export interface RestartProcessResponse {
    /** The process information after the restart. */
    process: ProcessInfo | undefined;
}
/** RestartProcessGroupRequest names the group to restart. */
export interface RestartProcessGroupRequest {
    /** The group name. */
    group: string;
    /** Whether to wait until every process is RUNNING again (or has failed). */
    wait: boolean;
}
/** RestartProcessGroupResponse carries the per-process outcomes. */
export interface RestartProcessGroupResponse {
    /** The outcomes of stopping the running processes. */
    stopResults: ProcessResult[];
    /** The outcomes of starting the processes. */
    startResults: ProcessResult[];
}
/** RestartAllProcessesRequest asks to restart every process. */
export interface RestartAllProcessesRequest {
    /** Whether to wait until every process is RUNNING again (or has failed). */
    wait: boolean;
}
/** RestartAllProcessesResponse carries the per-process outcomes. */
export interface RestartAllProcessesResponse {
    /** The outcomes of stopping the running processes. */
    stopResults: ProcessResult[];
    /** The outcomes of starting the processes. */
    startResults: ProcessResult[];
}
/** SignalProcessRequest names the process and the signal. */
export interface SignalProcessRequest {
    /** The namespec of the process. */
    name: string;
    /**
     * The signal: a name with or without the SIG prefix (`HUP`, `SIGUSR1`,
     * case-insensitive) or a number (`1`).
     */
    signal: string;
}
/** SignalProcessResponse confirms the signal was sent. */
export interface SignalProcessResponse {
}
/** SignalProcessGroupRequest names the group and the signal. */
export interface SignalProcessGroupRequest {
    /** The group name. */
    group: string;
    /** The signal, as in SignalProcessRequest. */
    signal: string;
}
/** SignalProcessGroupResponse carries the per-process outcomes. */
export interface SignalProcessGroupResponse {
    /** One result per signallable process, in priority order. */
    results: ProcessResult[];
}
/** SignalAllProcessesRequest carries the signal to send to every process. */
export interface SignalAllProcessesRequest {
    /** The signal, as in SignalProcessRequest. */
    signal: string;
}
/** SignalAllProcessesResponse carries the per-process outcomes. */
export interface SignalAllProcessesResponse {
    /** One result per signallable process, in priority order. */
    results: ProcessResult[];
}
/** WriteProcessStdinRequest carries the bytes to write to a process's stdin. */
export interface WriteProcessStdinRequest {
    /** The namespec of the process. */
    name: string;
    /** The bytes to write. */
    data: Buffer;
}
/** WriteProcessStdinResponse confirms the bytes were written. */
export interface WriteProcessStdinResponse {
}
/** ScaleProgramRequest names the group and the number of processes. */
export interface ScaleProgramRequest {
    /** The group name (`worker` or `worker:*`). */
    name: string;
    /** The number of processes wanted (0 to 10000). */
    numprocs: number;
    /**
     * How long to wait for removed processes to stop; a process still running
     * then fails the call with ERROR_REASON_STILL_RUNNING and stays. Unset waits
     * as long as their stopwaitsecs and SIGKILL need.
     */
    stopTimeout: Duration | undefined;
}
/** ScaleProgramResponse carries the outcome of a scale. */
export interface ScaleProgramResponse {
    /** The group scaled. */
    group: string;
    /** The number of processes before. */
    previousNumprocs: number;
    /** The number of processes now. */
    numprocs: number;
    /** The numprocs the configuration file sets. */
    fileNumprocs: number;
    /**
     * The outcomes of stopping the removed processes, highest process_num
     * first.
     */
    stopResults: ProcessResult[];
    /** The outcomes of starting the added processes that have autostart set. */
    startResults: ProcessResult[];
}
/** DisableProgramRequest names the program to disable. */
export interface DisableProgramRequest {
    /** A program name, or a group (`g:*`) for every program of it. */
    name: string;
    /** Whether to wait until its processes are stopped. */
    wait: boolean;
}
/** DisableProgramResponse carries the outcome of a disable. */
export interface DisableProgramResponse {
    /** The programs disabled, sorted. */
    programs: string[];
    /** The outcomes of stopping their processes. */
    stopResults: ProcessResult[];
}
/** EnableProgramRequest names the program to enable. */
export interface EnableProgramRequest {
    /** A program name, or a group (`g:*`) for every program of it. */
    name: string;
    /** Whether to wait until the started processes are RUNNING. */
    wait: boolean;
}
/** EnableProgramResponse carries the outcome of an enable. */
export interface EnableProgramResponse {
    /** The programs enabled, sorted. */
    programs: string[];
    /** The outcomes of starting their processes that have autostart set. */
    startResults: ProcessResult[];
}
export declare const ProbeResult: MessageFns<ProbeResult>;
export declare const ProcessInfo: MessageFns<ProcessInfo>;
export declare const LogStats: MessageFns<LogStats>;
export declare const ProcessConfig: MessageFns<ProcessConfig>;
export declare const ProbeConfig: MessageFns<ProbeConfig>;
export declare const Dependency: MessageFns<Dependency>;
export declare const ChannelConfig: MessageFns<ChannelConfig>;
export declare const ProcessResult: MessageFns<ProcessResult>;
export declare const GetProcessRequest: MessageFns<GetProcessRequest>;
export declare const GetProcessResponse: MessageFns<GetProcessResponse>;
export declare const ListProcessesRequest: MessageFns<ListProcessesRequest>;
export declare const ListProcessesResponse: MessageFns<ListProcessesResponse>;
export declare const ListProcessConfigsRequest: MessageFns<ListProcessConfigsRequest>;
export declare const ListProcessConfigsResponse: MessageFns<ListProcessConfigsResponse>;
export declare const StartProcessRequest: MessageFns<StartProcessRequest>;
export declare const StartProcessResponse: MessageFns<StartProcessResponse>;
export declare const StartProcessGroupRequest: MessageFns<StartProcessGroupRequest>;
export declare const StartProcessGroupResponse: MessageFns<StartProcessGroupResponse>;
export declare const StartAllProcessesRequest: MessageFns<StartAllProcessesRequest>;
export declare const StartAllProcessesResponse: MessageFns<StartAllProcessesResponse>;
export declare const StopProcessRequest: MessageFns<StopProcessRequest>;
export declare const StopProcessResponse: MessageFns<StopProcessResponse>;
export declare const StopProcessGroupRequest: MessageFns<StopProcessGroupRequest>;
export declare const StopProcessGroupResponse: MessageFns<StopProcessGroupResponse>;
export declare const StopAllProcessesRequest: MessageFns<StopAllProcessesRequest>;
export declare const StopAllProcessesResponse: MessageFns<StopAllProcessesResponse>;
export declare const RestartProcessRequest: MessageFns<RestartProcessRequest>;
export declare const RestartProcessResponse: MessageFns<RestartProcessResponse>;
export declare const RestartProcessGroupRequest: MessageFns<RestartProcessGroupRequest>;
export declare const RestartProcessGroupResponse: MessageFns<RestartProcessGroupResponse>;
export declare const RestartAllProcessesRequest: MessageFns<RestartAllProcessesRequest>;
export declare const RestartAllProcessesResponse: MessageFns<RestartAllProcessesResponse>;
export declare const SignalProcessRequest: MessageFns<SignalProcessRequest>;
export declare const SignalProcessResponse: MessageFns<SignalProcessResponse>;
export declare const SignalProcessGroupRequest: MessageFns<SignalProcessGroupRequest>;
export declare const SignalProcessGroupResponse: MessageFns<SignalProcessGroupResponse>;
export declare const SignalAllProcessesRequest: MessageFns<SignalAllProcessesRequest>;
export declare const SignalAllProcessesResponse: MessageFns<SignalAllProcessesResponse>;
export declare const WriteProcessStdinRequest: MessageFns<WriteProcessStdinRequest>;
export declare const WriteProcessStdinResponse: MessageFns<WriteProcessStdinResponse>;
export declare const ScaleProgramRequest: MessageFns<ScaleProgramRequest>;
export declare const ScaleProgramResponse: MessageFns<ScaleProgramResponse>;
export declare const DisableProgramRequest: MessageFns<DisableProgramRequest>;
export declare const DisableProgramResponse: MessageFns<DisableProgramResponse>;
export declare const EnableProgramRequest: MessageFns<EnableProgramRequest>;
export declare const EnableProgramResponse: MessageFns<EnableProgramResponse>;
/**
 * ProcessService reads and controls supervised processes.
 *
 * Names: a process is addressed by its namespec, `group:process`, or by
 * `process` alone when the group has the same name (a homogeneous group of one
 * process). Group operations take the group name; `group:*` and `group:` are
 * accepted as group names too.
 */
export type ProcessServiceService = typeof ProcessServiceService;
export declare const ProcessServiceService: {
    /** GetProcess returns the information of one process. */
    readonly getProcess: {
        readonly path: "/gsupervisor.v1.ProcessService/GetProcess";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: GetProcessRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => GetProcessRequest;
        readonly responseSerialize: (value: GetProcessResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => GetProcessResponse;
    };
    /**
     * ListProcesses returns the information of every process, ordered by group
     * name and then process name.
     */
    readonly listProcesses: {
        readonly path: "/gsupervisor.v1.ProcessService/ListProcesses";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListProcessesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListProcessesRequest;
        readonly responseSerialize: (value: ListProcessesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListProcessesResponse;
    };
    /**
     * ListProcessConfigs returns the configuration of every process of the last
     * parsed configuration (including groups not in use), ordered by process
     * name (Supervisor's getAllConfigInfo).
     */
    readonly listProcessConfigs: {
        readonly path: "/gsupervisor.v1.ProcessService/ListProcessConfigs";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ListProcessConfigsRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ListProcessConfigsRequest;
        readonly responseSerialize: (value: ListProcessConfigsResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ListProcessConfigsResponse;
    };
    /**
     * StartProcess starts one process. With wait, it returns once the process
     * is RUNNING (after startsecs) or has failed; otherwise once it is spawned.
     * A process still STOPPING is not spawned again (the main log says so, as
     * 4.2.5's does): with wait the call fails with ABNORMAL_TERMINATION,
     * without it succeeds and the process stays STOPPING.
     */
    readonly startProcess: {
        readonly path: "/gsupervisor.v1.ProcessService/StartProcess";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StartProcessRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StartProcessRequest;
        readonly responseSerialize: (value: StartProcessResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StartProcessResponse;
    };
    /**
     * StartProcessGroup starts every process of a group that is not already
     * STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    readonly startProcessGroup: {
        readonly path: "/gsupervisor.v1.ProcessService/StartProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StartProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StartProcessGroupRequest;
        readonly responseSerialize: (value: StartProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StartProcessGroupResponse;
    };
    /**
     * StartAllProcesses starts every process of every group that is not
     * already STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    readonly startAllProcesses: {
        readonly path: "/gsupervisor.v1.ProcessService/StartAllProcesses";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StartAllProcessesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StartAllProcessesRequest;
        readonly responseSerialize: (value: StartAllProcessesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StartAllProcessesResponse;
    };
    /**
     * StopProcess stops one process: its stopsignal, then SIGKILL after
     * stopwaitsecs. With wait, it returns once the process is stopped.
     */
    readonly stopProcess: {
        readonly path: "/gsupervisor.v1.ProcessService/StopProcess";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StopProcessRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StopProcessRequest;
        readonly responseSerialize: (value: StopProcessResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StopProcessResponse;
    };
    /**
     * StopProcessGroup stops every STARTING, RUNNING or BACKOFF process of a
     * group.
     */
    readonly stopProcessGroup: {
        readonly path: "/gsupervisor.v1.ProcessService/StopProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StopProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StopProcessGroupRequest;
        readonly responseSerialize: (value: StopProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StopProcessGroupResponse;
    };
    /** StopAllProcesses stops every STARTING, RUNNING or BACKOFF process. */
    readonly stopAllProcesses: {
        readonly path: "/gsupervisor.v1.ProcessService/StopAllProcesses";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: StopAllProcessesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => StopAllProcessesRequest;
        readonly responseSerialize: (value: StopAllProcessesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => StopAllProcessesResponse;
    };
    /** RestartProcess stops one process (if it is running) and starts it again. */
    readonly restartProcess: {
        readonly path: "/gsupervisor.v1.ProcessService/RestartProcess";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RestartProcessRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RestartProcessRequest;
        readonly responseSerialize: (value: RestartProcessResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RestartProcessResponse;
    };
    /**
     * RestartProcessGroup stops the running processes of a group and then starts
     * every process of the group.
     */
    readonly restartProcessGroup: {
        readonly path: "/gsupervisor.v1.ProcessService/RestartProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RestartProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RestartProcessGroupRequest;
        readonly responseSerialize: (value: RestartProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RestartProcessGroupResponse;
    };
    /**
     * RestartAllProcesses stops every running process and then starts every
     * process.
     */
    readonly restartAllProcesses: {
        readonly path: "/gsupervisor.v1.ProcessService/RestartAllProcesses";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: RestartAllProcessesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => RestartAllProcessesRequest;
        readonly responseSerialize: (value: RestartAllProcessesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => RestartAllProcessesResponse;
    };
    /** SignalProcess sends a signal to one STARTING, RUNNING or STOPPING process. */
    readonly signalProcess: {
        readonly path: "/gsupervisor.v1.ProcessService/SignalProcess";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: SignalProcessRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SignalProcessRequest;
        readonly responseSerialize: (value: SignalProcessResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SignalProcessResponse;
    };
    /** SignalProcessGroup sends a signal to every signallable process of a group. */
    readonly signalProcessGroup: {
        readonly path: "/gsupervisor.v1.ProcessService/SignalProcessGroup";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: SignalProcessGroupRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SignalProcessGroupRequest;
        readonly responseSerialize: (value: SignalProcessGroupResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SignalProcessGroupResponse;
    };
    /** SignalAllProcesses sends a signal to every signallable process. */
    readonly signalAllProcesses: {
        readonly path: "/gsupervisor.v1.ProcessService/SignalAllProcesses";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: SignalAllProcessesRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => SignalAllProcessesRequest;
        readonly responseSerialize: (value: SignalAllProcessesResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => SignalAllProcessesResponse;
    };
    /** WriteProcessStdin writes bytes to the stdin of a running process. */
    readonly writeProcessStdin: {
        readonly path: "/gsupervisor.v1.ProcessService/WriteProcessStdin";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: WriteProcessStdinRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => WriteProcessStdinRequest;
        readonly responseSerialize: (value: WriteProcessStdinResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => WriteProcessStdinResponse;
    };
    /**
     * ScaleProgram sets the number of processes of a homogeneous group (a
     * [program:x] with numprocs, an [fcgi-program:x] or an [eventlistener:x])
     * now, without editing the configuration file. New processes take the next
     * process_num and start if autostart is set; removal stops the highest
     * process_num first. The runtime numprocs is kept beside the pidfile and
     * outlives reread, update, reload and daemon restarts for as long as the
     * file's numprocs stays the one it was made against; once the file's
     * numprocs is edited, the file wins at the next update. Scaling back to the
     * file's numprocs forgets the runtime value.
     */
    readonly scaleProgram: {
        readonly path: "/gsupervisor.v1.ProcessService/ScaleProgram";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: ScaleProgramRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => ScaleProgramRequest;
        readonly responseSerialize: (value: ScaleProgramResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => ScaleProgramResponse;
    };
    /**
     * DisableProgram disables a program (or every program of a group, `g:*`):
     * its processes are stopped and stay stopped across autostart, start all,
     * update, reload and daemon restarts until EnableProgram. The setting is
     * kept beside the pidfile, written before the call returns.
     */
    readonly disableProgram: {
        readonly path: "/gsupervisor.v1.ProcessService/DisableProgram";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: DisableProgramRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => DisableProgramRequest;
        readonly responseSerialize: (value: DisableProgramResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => DisableProgramResponse;
    };
    /**
     * EnableProgram enables a disabled program (or every program of a group)
     * again and starts its processes that have autostart set.
     */
    readonly enableProgram: {
        readonly path: "/gsupervisor.v1.ProcessService/EnableProgram";
        readonly requestStream: false;
        readonly responseStream: false;
        readonly requestSerialize: (value: EnableProgramRequest) => Buffer;
        readonly requestDeserialize: (value: Buffer) => EnableProgramRequest;
        readonly responseSerialize: (value: EnableProgramResponse) => Buffer;
        readonly responseDeserialize: (value: Buffer) => EnableProgramResponse;
    };
};
export interface ProcessServiceServer extends UntypedServiceImplementation {
    /** GetProcess returns the information of one process. */
    getProcess: handleUnaryCall<GetProcessRequest, GetProcessResponse>;
    /**
     * ListProcesses returns the information of every process, ordered by group
     * name and then process name.
     */
    listProcesses: handleUnaryCall<ListProcessesRequest, ListProcessesResponse>;
    /**
     * ListProcessConfigs returns the configuration of every process of the last
     * parsed configuration (including groups not in use), ordered by process
     * name (Supervisor's getAllConfigInfo).
     */
    listProcessConfigs: handleUnaryCall<ListProcessConfigsRequest, ListProcessConfigsResponse>;
    /**
     * StartProcess starts one process. With wait, it returns once the process
     * is RUNNING (after startsecs) or has failed; otherwise once it is spawned.
     * A process still STOPPING is not spawned again (the main log says so, as
     * 4.2.5's does): with wait the call fails with ABNORMAL_TERMINATION,
     * without it succeeds and the process stays STOPPING.
     */
    startProcess: handleUnaryCall<StartProcessRequest, StartProcessResponse>;
    /**
     * StartProcessGroup starts every process of a group that is not already
     * STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    startProcessGroup: handleUnaryCall<StartProcessGroupRequest, StartProcessGroupResponse>;
    /**
     * StartAllProcesses starts every process of every group that is not
     * already STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    startAllProcesses: handleUnaryCall<StartAllProcessesRequest, StartAllProcessesResponse>;
    /**
     * StopProcess stops one process: its stopsignal, then SIGKILL after
     * stopwaitsecs. With wait, it returns once the process is stopped.
     */
    stopProcess: handleUnaryCall<StopProcessRequest, StopProcessResponse>;
    /**
     * StopProcessGroup stops every STARTING, RUNNING or BACKOFF process of a
     * group.
     */
    stopProcessGroup: handleUnaryCall<StopProcessGroupRequest, StopProcessGroupResponse>;
    /** StopAllProcesses stops every STARTING, RUNNING or BACKOFF process. */
    stopAllProcesses: handleUnaryCall<StopAllProcessesRequest, StopAllProcessesResponse>;
    /** RestartProcess stops one process (if it is running) and starts it again. */
    restartProcess: handleUnaryCall<RestartProcessRequest, RestartProcessResponse>;
    /**
     * RestartProcessGroup stops the running processes of a group and then starts
     * every process of the group.
     */
    restartProcessGroup: handleUnaryCall<RestartProcessGroupRequest, RestartProcessGroupResponse>;
    /**
     * RestartAllProcesses stops every running process and then starts every
     * process.
     */
    restartAllProcesses: handleUnaryCall<RestartAllProcessesRequest, RestartAllProcessesResponse>;
    /** SignalProcess sends a signal to one STARTING, RUNNING or STOPPING process. */
    signalProcess: handleUnaryCall<SignalProcessRequest, SignalProcessResponse>;
    /** SignalProcessGroup sends a signal to every signallable process of a group. */
    signalProcessGroup: handleUnaryCall<SignalProcessGroupRequest, SignalProcessGroupResponse>;
    /** SignalAllProcesses sends a signal to every signallable process. */
    signalAllProcesses: handleUnaryCall<SignalAllProcessesRequest, SignalAllProcessesResponse>;
    /** WriteProcessStdin writes bytes to the stdin of a running process. */
    writeProcessStdin: handleUnaryCall<WriteProcessStdinRequest, WriteProcessStdinResponse>;
    /**
     * ScaleProgram sets the number of processes of a homogeneous group (a
     * [program:x] with numprocs, an [fcgi-program:x] or an [eventlistener:x])
     * now, without editing the configuration file. New processes take the next
     * process_num and start if autostart is set; removal stops the highest
     * process_num first. The runtime numprocs is kept beside the pidfile and
     * outlives reread, update, reload and daemon restarts for as long as the
     * file's numprocs stays the one it was made against; once the file's
     * numprocs is edited, the file wins at the next update. Scaling back to the
     * file's numprocs forgets the runtime value.
     */
    scaleProgram: handleUnaryCall<ScaleProgramRequest, ScaleProgramResponse>;
    /**
     * DisableProgram disables a program (or every program of a group, `g:*`):
     * its processes are stopped and stay stopped across autostart, start all,
     * update, reload and daemon restarts until EnableProgram. The setting is
     * kept beside the pidfile, written before the call returns.
     */
    disableProgram: handleUnaryCall<DisableProgramRequest, DisableProgramResponse>;
    /**
     * EnableProgram enables a disabled program (or every program of a group)
     * again and starts its processes that have autostart set.
     */
    enableProgram: handleUnaryCall<EnableProgramRequest, EnableProgramResponse>;
}
export interface ProcessServiceClient extends Client {
    /** GetProcess returns the information of one process. */
    getProcess(request: GetProcessRequest, callback: (error: ServiceError | null, response: GetProcessResponse) => void): ClientUnaryCall;
    getProcess(request: GetProcessRequest, metadata: Metadata, callback: (error: ServiceError | null, response: GetProcessResponse) => void): ClientUnaryCall;
    getProcess(request: GetProcessRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: GetProcessResponse) => void): ClientUnaryCall;
    /**
     * ListProcesses returns the information of every process, ordered by group
     * name and then process name.
     */
    listProcesses(request: ListProcessesRequest, callback: (error: ServiceError | null, response: ListProcessesResponse) => void): ClientUnaryCall;
    listProcesses(request: ListProcessesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListProcessesResponse) => void): ClientUnaryCall;
    listProcesses(request: ListProcessesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListProcessesResponse) => void): ClientUnaryCall;
    /**
     * ListProcessConfigs returns the configuration of every process of the last
     * parsed configuration (including groups not in use), ordered by process
     * name (Supervisor's getAllConfigInfo).
     */
    listProcessConfigs(request: ListProcessConfigsRequest, callback: (error: ServiceError | null, response: ListProcessConfigsResponse) => void): ClientUnaryCall;
    listProcessConfigs(request: ListProcessConfigsRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ListProcessConfigsResponse) => void): ClientUnaryCall;
    listProcessConfigs(request: ListProcessConfigsRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ListProcessConfigsResponse) => void): ClientUnaryCall;
    /**
     * StartProcess starts one process. With wait, it returns once the process
     * is RUNNING (after startsecs) or has failed; otherwise once it is spawned.
     * A process still STOPPING is not spawned again (the main log says so, as
     * 4.2.5's does): with wait the call fails with ABNORMAL_TERMINATION,
     * without it succeeds and the process stays STOPPING.
     */
    startProcess(request: StartProcessRequest, callback: (error: ServiceError | null, response: StartProcessResponse) => void): ClientUnaryCall;
    startProcess(request: StartProcessRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StartProcessResponse) => void): ClientUnaryCall;
    startProcess(request: StartProcessRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StartProcessResponse) => void): ClientUnaryCall;
    /**
     * StartProcessGroup starts every process of a group that is not already
     * STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    startProcessGroup(request: StartProcessGroupRequest, callback: (error: ServiceError | null, response: StartProcessGroupResponse) => void): ClientUnaryCall;
    startProcessGroup(request: StartProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StartProcessGroupResponse) => void): ClientUnaryCall;
    startProcessGroup(request: StartProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StartProcessGroupResponse) => void): ClientUnaryCall;
    /**
     * StartAllProcesses starts every process of every group that is not
     * already STARTING, RUNNING or in BACKOFF, in ascending priority order.
     */
    startAllProcesses(request: StartAllProcessesRequest, callback: (error: ServiceError | null, response: StartAllProcessesResponse) => void): ClientUnaryCall;
    startAllProcesses(request: StartAllProcessesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StartAllProcessesResponse) => void): ClientUnaryCall;
    startAllProcesses(request: StartAllProcessesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StartAllProcessesResponse) => void): ClientUnaryCall;
    /**
     * StopProcess stops one process: its stopsignal, then SIGKILL after
     * stopwaitsecs. With wait, it returns once the process is stopped.
     */
    stopProcess(request: StopProcessRequest, callback: (error: ServiceError | null, response: StopProcessResponse) => void): ClientUnaryCall;
    stopProcess(request: StopProcessRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StopProcessResponse) => void): ClientUnaryCall;
    stopProcess(request: StopProcessRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StopProcessResponse) => void): ClientUnaryCall;
    /**
     * StopProcessGroup stops every STARTING, RUNNING or BACKOFF process of a
     * group.
     */
    stopProcessGroup(request: StopProcessGroupRequest, callback: (error: ServiceError | null, response: StopProcessGroupResponse) => void): ClientUnaryCall;
    stopProcessGroup(request: StopProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StopProcessGroupResponse) => void): ClientUnaryCall;
    stopProcessGroup(request: StopProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StopProcessGroupResponse) => void): ClientUnaryCall;
    /** StopAllProcesses stops every STARTING, RUNNING or BACKOFF process. */
    stopAllProcesses(request: StopAllProcessesRequest, callback: (error: ServiceError | null, response: StopAllProcessesResponse) => void): ClientUnaryCall;
    stopAllProcesses(request: StopAllProcessesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: StopAllProcessesResponse) => void): ClientUnaryCall;
    stopAllProcesses(request: StopAllProcessesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: StopAllProcessesResponse) => void): ClientUnaryCall;
    /** RestartProcess stops one process (if it is running) and starts it again. */
    restartProcess(request: RestartProcessRequest, callback: (error: ServiceError | null, response: RestartProcessResponse) => void): ClientUnaryCall;
    restartProcess(request: RestartProcessRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RestartProcessResponse) => void): ClientUnaryCall;
    restartProcess(request: RestartProcessRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RestartProcessResponse) => void): ClientUnaryCall;
    /**
     * RestartProcessGroup stops the running processes of a group and then starts
     * every process of the group.
     */
    restartProcessGroup(request: RestartProcessGroupRequest, callback: (error: ServiceError | null, response: RestartProcessGroupResponse) => void): ClientUnaryCall;
    restartProcessGroup(request: RestartProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RestartProcessGroupResponse) => void): ClientUnaryCall;
    restartProcessGroup(request: RestartProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RestartProcessGroupResponse) => void): ClientUnaryCall;
    /**
     * RestartAllProcesses stops every running process and then starts every
     * process.
     */
    restartAllProcesses(request: RestartAllProcessesRequest, callback: (error: ServiceError | null, response: RestartAllProcessesResponse) => void): ClientUnaryCall;
    restartAllProcesses(request: RestartAllProcessesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: RestartAllProcessesResponse) => void): ClientUnaryCall;
    restartAllProcesses(request: RestartAllProcessesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: RestartAllProcessesResponse) => void): ClientUnaryCall;
    /** SignalProcess sends a signal to one STARTING, RUNNING or STOPPING process. */
    signalProcess(request: SignalProcessRequest, callback: (error: ServiceError | null, response: SignalProcessResponse) => void): ClientUnaryCall;
    signalProcess(request: SignalProcessRequest, metadata: Metadata, callback: (error: ServiceError | null, response: SignalProcessResponse) => void): ClientUnaryCall;
    signalProcess(request: SignalProcessRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: SignalProcessResponse) => void): ClientUnaryCall;
    /** SignalProcessGroup sends a signal to every signallable process of a group. */
    signalProcessGroup(request: SignalProcessGroupRequest, callback: (error: ServiceError | null, response: SignalProcessGroupResponse) => void): ClientUnaryCall;
    signalProcessGroup(request: SignalProcessGroupRequest, metadata: Metadata, callback: (error: ServiceError | null, response: SignalProcessGroupResponse) => void): ClientUnaryCall;
    signalProcessGroup(request: SignalProcessGroupRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: SignalProcessGroupResponse) => void): ClientUnaryCall;
    /** SignalAllProcesses sends a signal to every signallable process. */
    signalAllProcesses(request: SignalAllProcessesRequest, callback: (error: ServiceError | null, response: SignalAllProcessesResponse) => void): ClientUnaryCall;
    signalAllProcesses(request: SignalAllProcessesRequest, metadata: Metadata, callback: (error: ServiceError | null, response: SignalAllProcessesResponse) => void): ClientUnaryCall;
    signalAllProcesses(request: SignalAllProcessesRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: SignalAllProcessesResponse) => void): ClientUnaryCall;
    /** WriteProcessStdin writes bytes to the stdin of a running process. */
    writeProcessStdin(request: WriteProcessStdinRequest, callback: (error: ServiceError | null, response: WriteProcessStdinResponse) => void): ClientUnaryCall;
    writeProcessStdin(request: WriteProcessStdinRequest, metadata: Metadata, callback: (error: ServiceError | null, response: WriteProcessStdinResponse) => void): ClientUnaryCall;
    writeProcessStdin(request: WriteProcessStdinRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: WriteProcessStdinResponse) => void): ClientUnaryCall;
    /**
     * ScaleProgram sets the number of processes of a homogeneous group (a
     * [program:x] with numprocs, an [fcgi-program:x] or an [eventlistener:x])
     * now, without editing the configuration file. New processes take the next
     * process_num and start if autostart is set; removal stops the highest
     * process_num first. The runtime numprocs is kept beside the pidfile and
     * outlives reread, update, reload and daemon restarts for as long as the
     * file's numprocs stays the one it was made against; once the file's
     * numprocs is edited, the file wins at the next update. Scaling back to the
     * file's numprocs forgets the runtime value.
     */
    scaleProgram(request: ScaleProgramRequest, callback: (error: ServiceError | null, response: ScaleProgramResponse) => void): ClientUnaryCall;
    scaleProgram(request: ScaleProgramRequest, metadata: Metadata, callback: (error: ServiceError | null, response: ScaleProgramResponse) => void): ClientUnaryCall;
    scaleProgram(request: ScaleProgramRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: ScaleProgramResponse) => void): ClientUnaryCall;
    /**
     * DisableProgram disables a program (or every program of a group, `g:*`):
     * its processes are stopped and stay stopped across autostart, start all,
     * update, reload and daemon restarts until EnableProgram. The setting is
     * kept beside the pidfile, written before the call returns.
     */
    disableProgram(request: DisableProgramRequest, callback: (error: ServiceError | null, response: DisableProgramResponse) => void): ClientUnaryCall;
    disableProgram(request: DisableProgramRequest, metadata: Metadata, callback: (error: ServiceError | null, response: DisableProgramResponse) => void): ClientUnaryCall;
    disableProgram(request: DisableProgramRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: DisableProgramResponse) => void): ClientUnaryCall;
    /**
     * EnableProgram enables a disabled program (or every program of a group)
     * again and starts its processes that have autostart set.
     */
    enableProgram(request: EnableProgramRequest, callback: (error: ServiceError | null, response: EnableProgramResponse) => void): ClientUnaryCall;
    enableProgram(request: EnableProgramRequest, metadata: Metadata, callback: (error: ServiceError | null, response: EnableProgramResponse) => void): ClientUnaryCall;
    enableProgram(request: EnableProgramRequest, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: EnableProgramResponse) => void): ClientUnaryCall;
}
export declare const ProcessServiceClient: {
    new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): ProcessServiceClient;
    service: typeof ProcessServiceService;
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
