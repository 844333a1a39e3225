// Drives a gsupervisor daemon through the generated TypeScript client
// (gen/ts, compiled to dist) with @grpc/grpc-js. Run by e2e/clients_test.go:
// node node_client.js SOCKET ADDR USER PASS. The unix socket needs no
// credentials, the TCP port needs USER:PASS. Prints one "ok ..." line per
// check and exits non-zero on the first failure.
"use strict";
const path = require("path");
const gs = require(path.join(__dirname, "..", "..", "..", "gen", "ts"));
const grpc = require(path.join(__dirname, "..", "..", "..", "gen", "ts", "node_modules", "@grpc", "grpc-js"));

const [sock, addr, user, password] = process.argv.slice(2);

function check(cond, what) {
  if (!cond) {
    console.log("FAIL", what);
    process.exit(1);
  }
  console.log("ok", what);
}

function basic(u, p) {
  const md = new grpc.Metadata();
  md.set("authorization", "Basic " + Buffer.from(`${u}:${p}`).toString("base64"));
  return md;
}

// call turns a unary call of a generated client into a promise of
// [error, response].
function call(client, method, request, md) {
  return new Promise((resolve) => {
    const deadline = { deadline: Date.now() + 30000 };
    client[method](request, md || new grpc.Metadata(), deadline, (err, resp) => resolve([err, resp]));
  });
}

// health calls grpc.health.v1.Health/Check, hand-encoded (the client has
// no health stubs).
function health(target, service, md) {
  const c = new grpc.Client(target, grpc.credentials.createInsecure());
  const name = Buffer.from(service);
  const req = service ? Buffer.concat([Buffer.from([0x0a, name.length]), name]) : Buffer.alloc(0);
  return new Promise((resolve) => {
    c.makeUnaryRequest("/grpc.health.v1.Health/Check", (b) => b, (b) => b, req, md || new grpc.Metadata(), (err, resp) => {
      c.close();
      resolve(err ? "error " + err.code : { "8,1": "SERVING", "8,2": "NOT_SERVING" }[Array.from(resp).join(",")]);
    });
  });
}

// streamUntil reads a server stream until done(message) is true, then
// cancels it and returns how it ended.
function streamUntil(stream, done) {
  return new Promise((resolve) => {
    let matched = false;
    stream.on("data", (m) => {
      if (!matched && done(m)) {
        matched = true;
        stream.cancel();
      }
    });
    stream.on("error", (err) => { if (err.code !== grpc.status.CANCELLED) console.log("stream error:", err.message); resolve({ matched, code: err.code }); });
    stream.on("end", () => resolve({ matched, code: grpc.status.OK }));
  });
}

async function main() {
  for (const [name, target, md] of [["unix", "unix://" + sock, undefined], ["tcp", addr, basic(user, password)]]) {
    const creds = grpc.credentials.createInsecure();
    const processes = new gs.ProcessServiceClient(target, creds);
    const logs = new gs.LogServiceClient(target, creds);
    const events = new gs.EventServiceClient(target, creds);

    // Unary calls.
    let [err, resp] = await call(processes, "listProcesses", gs.ListProcessesRequest.fromPartial({}), md);
    check(!err && resp.processes.map((p) => p.name).sort().join(",") === "cat,ticker", `${name}: listProcesses ${err || ""}`);
    [err, resp] = await call(processes, "restartProcess", gs.RestartProcessRequest.fromPartial({ name: "ticker", wait: true }), md);
    check(!err && resp.process.state === gs.ProcessState.PROCESS_STATE_RUNNING, `${name}: restartProcess ticker ${err || ""}`);

    // A typed error through ErrorInfo.
    [err] = await call(processes, "getProcess", gs.GetProcessRequest.fromPartial({ name: "nope" }), md);
    check(err && err.code === grpc.status.NOT_FOUND, `${name}: getProcess nope is NOT_FOUND`);
    const r = gs.reasonFromError(err);
    check(r && r.reason === gs.ErrorReason.ERROR_REASON_BAD_NAME && r.detail === "nope", `${name}: reasonFromError ${JSON.stringify(r)}`);
    check(gs.errorReasonToJSON(r.reason) === "ERROR_REASON_BAD_NAME", `${name}: reason name`);

    // Server stream: follow a log, cancelled mid-stream once the line shows.
    const line = `node ${name}\n`;
    [err] = await call(processes, "writeProcessStdin", gs.WriteProcessStdinRequest.fromPartial({ name: "cat", data: Buffer.from(line) }), md);
    check(!err, `${name}: writeProcessStdin ${err || ""}`);
    let seen = "";
    const follow = logs.followProcessLog(gs.FollowProcessLogRequest.fromPartial({ name: "cat", tailBytes: 65536 }), md || new grpc.Metadata());
    let end = await streamUntil(follow, (m) => {
      seen += Buffer.from(m.chunk ? m.chunk.data : []).toString();
      return seen.includes(line);
    });
    check(end.matched && end.code === grpc.status.CANCELLED, `${name}: followProcessLog, cancelled mid-stream (${end.code})`);

    // Server stream: events from the retained history, until the restart.
    const states = [];
    const sub = events.subscribeEvents(gs.SubscribeEventsRequest.fromPartial({ afterSerial: 0, processes: ["ticker"] }), md || new grpc.Metadata());
    end = await streamUntil(sub, (m) => {
      if (m.event && m.event.processState) {
        states.push(m.event.processState.state);
      }
      return states.includes(gs.ProcessState.PROCESS_STATE_STOPPED) && states[states.length - 1] === gs.ProcessState.PROCESS_STATE_RUNNING;
    });
    check(end.matched, `${name}: subscribeEvents saw the restart`);

    // Health, with and without credentials.
    check((await health(target, "")) === "SERVING", `${name}: health '' without credentials`);
    check((await health(target, "gsupervisor.v1.ProcessService", md)) === "SERVING", `${name}: health ProcessService`);
    processes.close();
    logs.close();
    events.close();
  }

  // Credentials on the TCP port: none and wrong ones are refused.
  const processes = new gs.ProcessServiceClient(addr, grpc.credentials.createInsecure());
  for (const [label, md] of [["no", undefined], ["wrong", basic("x", "y")]]) {
    const [err] = await call(processes, "listProcesses", gs.ListProcessesRequest.fromPartial({}), md);
    check(err && err.code === grpc.status.UNAUTHENTICATED && gs.reasonFromError(err) === undefined, `tcp: ${label} credentials refused`);
  }
  check((await health(addr, "")) === "SERVING", "tcp: health without credentials on a protected port");
  processes.close();
  console.log("PASS");
}

main().catch((e) => {
  console.log("FAIL", e);
  process.exit(1);
});
