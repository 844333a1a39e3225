"use strict";
// Hand-written (make generate keeps it): the one decoder of the
// google.rpc.ErrorInfo detail that every failed call of the gsupervisor
// API carries, so no client strips or adds the ERROR_REASON_ prefix.
Object.defineProperty(exports, "__esModule", { value: true });
exports.ERROR_INFO_DETAIL_KEY = exports.ERROR_DOMAIN = void 0;
exports.reasonFromError = reasonFromError;
const error_details_1 = require("./google/rpc/error_details");
const status_1 = require("./google/rpc/status");
const errors_1 = require("./gsupervisor/v1/errors");
/** The domain of the ErrorInfo detail of every error of the API. */
exports.ERROR_DOMAIN = "gsupervisor.v1";
/** The ErrorInfo metadata key holding the text after "REASON: " in the message (often a process name). */
exports.ERROR_INFO_DETAIL_KEY = "detail";
/** The trailer in which gRPC carries a failed call's google.rpc.Status. */
const STATUS_DETAILS_KEY = "grpc-status-details-bin";
/**
 * reasonFromError returns the reason and detail of a failed call of the
 * API: the first google.rpc.ErrorInfo of domain ERROR_DOMAIN in the
 * error's status details. It returns undefined for an error that carries
 * none (a transport failure, a cancelled call, another service's error). A
 * reason this version does not know (a newer daemon) is reported as
 * ERROR_REASON_FAILED.
 */
function reasonFromError(err) {
    const metadata = err?.metadata;
    if (metadata === undefined || typeof metadata.get !== "function") {
        return undefined;
    }
    for (const value of metadata.get(STATUS_DETAILS_KEY)) {
        if (typeof value === "string") {
            continue;
        }
        let status;
        try {
            status = status_1.Status.decode(value);
        }
        catch {
            return undefined;
        }
        for (const any of status.details) {
            if (any.typeUrl !== "type.googleapis.com/google.rpc.ErrorInfo") {
                continue;
            }
            const info = error_details_1.ErrorInfo.decode(any.value);
            if (info.domain !== exports.ERROR_DOMAIN) {
                continue;
            }
            let reason = (0, errors_1.errorReasonFromJSON)(info.reason);
            if (reason === errors_1.ErrorReason.UNRECOGNIZED || reason === errors_1.ErrorReason.ERROR_REASON_UNSPECIFIED) {
                reason = errors_1.ErrorReason.ERROR_REASON_FAILED;
            }
            return { reason, detail: info.metadata[exports.ERROR_INFO_DETAIL_KEY] ?? "" };
        }
    }
    return undefined;
}
