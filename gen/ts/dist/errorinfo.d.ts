import { ErrorReason } from "./gsupervisor/v1/errors";
/** The domain of the ErrorInfo detail of every error of the API. */
export declare const ERROR_DOMAIN = "gsupervisor.v1";
/** The ErrorInfo metadata key holding the text after "REASON: " in the message (often a process name). */
export declare const ERROR_INFO_DETAIL_KEY = "detail";
/** The reason and detail of a failed call. */
export interface ReasonAndDetail {
    /** The reason, e.g. ErrorReason.ERROR_REASON_BAD_NAME; ErrorReason[reason] is its name, "ERROR_REASON_BAD_NAME". */
    reason: ErrorReason;
    /** The detail, often a process name; "" when the message is the bare reason. */
    detail: string;
}
/**
 * reasonFromError returns the reason and detail of a failed call of the
 * API: the first google.rpc.ErrorInfo of domain ERROR_DOMAIN in the
 * error's status details. It returns undefined for an error that carries
 * none (a transport failure, a cancelled call, another service's error). A
 * reason this version does not know (a newer daemon) is reported as
 * ERROR_REASON_FAILED.
 */
export declare function reasonFromError(err: unknown): ReasonAndDetail | undefined;
