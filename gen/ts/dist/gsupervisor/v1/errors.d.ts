/**
 * ErrorReason classifies every error the daemon returns. It is carried as the
 * `reason` of a `google.rpc.ErrorInfo` detail (domain `gsupervisor.v1`) in every
 * failed RPC, and as the per-item outcome of group and "all" operations. Each
 * value except the last corresponds to one fault of Supervisor 4.2.5's XML-RPC
 * interface; the compat layer maps them back onto the legacy fault codes.
 *
 * There is one spelling: `ErrorInfo.reason` is the full enum value name, for
 * example `ERROR_REASON_BAD_NAME`, exactly as `ProcessResult.reason` and JSON
 * show it, so a client looks the reason up in the generated enum without
 * adding or removing a prefix (the Go stubs' `ReasonFromError` does it).
 *
 * The status message of a failed RPC is the legacy fault string, for example
 * `BAD_NAME: web:web_00`; the part after `REASON: ` is also available as the
 * `detail` metadata key of the ErrorInfo.
 */
export declare enum ErrorReason {
    /** ERROR_REASON_UNSPECIFIED - No error. Used as the outcome of a successful item in a result list. */
    ERROR_REASON_UNSPECIFIED = 0,
    /** ERROR_REASON_BAD_NAME - The process, group or option name is unknown (legacy fault 10). */
    ERROR_REASON_BAD_NAME = 1,
    /** ERROR_REASON_BAD_SIGNAL - The signal name or number is not valid (legacy fault 11). */
    ERROR_REASON_BAD_SIGNAL = 2,
    /** ERROR_REASON_BAD_ARGUMENTS - The arguments are invalid, for example a log offset/length pair (legacy fault 3). */
    ERROR_REASON_BAD_ARGUMENTS = 3,
    /** ERROR_REASON_NO_FILE - A file (command, log file) does not exist or a channel has no log (legacy fault 20). */
    ERROR_REASON_NO_FILE = 4,
    /** ERROR_REASON_NOT_EXECUTABLE - The command is not executable, is a directory or cannot be parsed (legacy fault 21). */
    ERROR_REASON_NOT_EXECUTABLE = 5,
    /** ERROR_REASON_FAILED - A generic failure with a message (legacy fault 30). */
    ERROR_REASON_FAILED = 6,
    /** ERROR_REASON_ABNORMAL_TERMINATION - The process left STARTING other than by becoming RUNNING (legacy fault 40). */
    ERROR_REASON_ABNORMAL_TERMINATION = 7,
    /** ERROR_REASON_SPAWN_ERROR - The process could not be spawned or died before startsecs (legacy fault 50). */
    ERROR_REASON_SPAWN_ERROR = 8,
    /** ERROR_REASON_ALREADY_STARTED - The process is already STARTING, RUNNING or in BACKOFF (legacy fault 60). */
    ERROR_REASON_ALREADY_STARTED = 9,
    /** ERROR_REASON_NOT_RUNNING - The process is not in a state that allows the operation (legacy fault 70). */
    ERROR_REASON_NOT_RUNNING = 10,
    /** ERROR_REASON_ALREADY_ADDED - The process group is already active (legacy fault 90). */
    ERROR_REASON_ALREADY_ADDED = 11,
    /** ERROR_REASON_STILL_RUNNING - The process group still has processes that are not stopped (legacy fault 91). */
    ERROR_REASON_STILL_RUNNING = 12,
    /** ERROR_REASON_CANT_REREAD - The configuration file could not be read again (legacy fault 92). */
    ERROR_REASON_CANT_REREAD = 13,
    /** ERROR_REASON_SHUTDOWN_STATE - The daemon is shutting down or restarting (legacy fault 6). */
    ERROR_REASON_SHUTDOWN_STATE = 14,
    /**
     * ERROR_REASON_REVISION_MISMATCH - The configuration changed since the plan a client asked to apply was
     * computed (UpdateConfig with a stale revision). Not a legacy fault.
     */
    ERROR_REASON_REVISION_MISMATCH = 15,
    /**
     * ERROR_REASON_DISABLED - The program is disabled (DisableProgram) and will not start until it is
     * enabled again. Not a legacy fault: legacy clients see SPAWN_ERROR.
     */
    ERROR_REASON_DISABLED = 16,
    /**
     * ERROR_REASON_DEPENDENCY_FAILED - A dependency (depends_on) cannot reach its condition: it went FATAL, was
     * stopped or disabled, exited with an unexpected code, or has no process.
     * The detail says which. Not a legacy fault: legacy clients see
     * SPAWN_ERROR.
     */
    ERROR_REASON_DEPENDENCY_FAILED = 17,
    UNRECOGNIZED = -1
}
export declare function errorReasonFromJSON(object: any): ErrorReason;
export declare function errorReasonToJSON(object: ErrorReason): string;
