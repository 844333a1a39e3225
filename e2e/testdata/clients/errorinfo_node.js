// Checks reasonFromError of the generated TypeScript client on errors no
// daemon sends today: an unknown reason (a newer daemon), another domain,
// no details, undecodable details, a value that is not a gRPC error. Run
// by e2e/clients_test.go with node; prints PASS.
"use strict";
const path = require("path");
const gs = require(path.join(__dirname, "..", "..", "..", "gen", "ts"));
const { grpc } = gs;

function check(got, want, what) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    console.log("FAIL", what, JSON.stringify(got), "want", JSON.stringify(want));
    process.exit(1);
  }
  console.log("ok", what);
}

function failed(...infos) {
  const status = gs.Status.fromPartial({
    code: 5,
    message: "x",
    details: infos.map((i) => ({
      typeUrl: "type.googleapis.com/google.rpc.ErrorInfo",
      value: Buffer.from(gs.ErrorInfo.encode(gs.ErrorInfo.fromPartial(i)).finish()),
    })),
  });
  return withTrailer(Buffer.from(gs.Status.encode(status).finish()));
}

function withTrailer(value) {
  const metadata = new grpc.Metadata();
  metadata.set("grpc-status-details-bin", value);
  return Object.assign(new Error("x"), { code: 5, metadata });
}

const R = gs.ErrorReason;
check(gs.reasonFromError(failed({ reason: "ERROR_REASON_NOT_RUNNING", domain: "gsupervisor.v1", metadata: { detail: "web" } })),
  { reason: R.ERROR_REASON_NOT_RUNNING, detail: "web" }, "a known reason and its detail");
check(gs.reasonFromError(failed({ reason: "ERROR_REASON_FROM_THE_FUTURE", domain: "gsupervisor.v1" })),
  { reason: R.ERROR_REASON_FAILED, detail: "" }, "an unknown reason is FAILED");
check(gs.reasonFromError(failed({ reason: "BAD_NAME", domain: "example.com" }, { reason: "ERROR_REASON_BAD_NAME", domain: "gsupervisor.v1" })),
  { reason: R.ERROR_REASON_BAD_NAME, detail: "" }, "another domain's ErrorInfo is skipped");
check(gs.reasonFromError(failed()), undefined, "no details");
check(gs.reasonFromError(withTrailer(Buffer.from([0xff, 0xff, 0xff]))), undefined, "undecodable details");
check(gs.reasonFromError(Object.assign(new Error("x"), { metadata: new grpc.Metadata() })), undefined, "no status trailer");
check(gs.reasonFromError(new Error("not a gRPC error")), undefined, "not a gRPC error");
check(gs.reasonFromError(undefined), undefined, "undefined");
console.log("PASS");
