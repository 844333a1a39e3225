// Hand-written (make generate keeps it): the one decoder of the
// google.rpc.ErrorInfo detail that every failed call of the gsupervisor
// API carries, so no client strips or adds the ERROR_REASON_ prefix.

import type { ServiceError } from "@grpc/grpc-js";
import { ErrorInfo } from "./google/rpc/error_details";
import { Status } from "./google/rpc/status";
import { ErrorReason, errorReasonFromJSON } from "./gsupervisor/v1/errors";

/** The domain of the ErrorInfo detail of every error of the API. */
export const ERROR_DOMAIN = "gsupervisor.v1";

/** The ErrorInfo metadata key holding the text after "REASON: " in the message (often a process name). */
export const ERROR_INFO_DETAIL_KEY = "detail";

/** The trailer in which gRPC carries a failed call's google.rpc.Status. */
const STATUS_DETAILS_KEY = "grpc-status-details-bin";

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
export function reasonFromError(err: unknown): ReasonAndDetail | undefined {
  const metadata = (err as Partial<ServiceError> | null | undefined)?.metadata;
  if (metadata === undefined || typeof metadata.get !== "function") {
    return undefined;
  }
  for (const value of metadata.get(STATUS_DETAILS_KEY)) {
    if (typeof value === "string") {
      continue;
    }
    let status: Status;
    try {
      status = Status.decode(value);
    } catch {
      return undefined;
    }
    for (const any of status.details) {
      if (any.typeUrl !== "type.googleapis.com/google.rpc.ErrorInfo") {
        continue;
      }
      const info = ErrorInfo.decode(any.value);
      if (info.domain !== ERROR_DOMAIN) {
        continue;
      }
      let reason = errorReasonFromJSON(info.reason);
      if (reason === ErrorReason.UNRECOGNIZED || reason === ErrorReason.ERROR_REASON_UNSPECIFIED) {
        reason = ErrorReason.ERROR_REASON_FAILED;
      }
      return { reason, detail: info.metadata[ERROR_INFO_DETAIL_KEY] ?? "" };
    }
  }
  return undefined;
}
