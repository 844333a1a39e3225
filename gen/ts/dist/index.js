"use strict";
// Hand-written (make generate keeps it): the entry point of the Node.js
// client of the gsupervisor.v1 API. Every message, enum and service client
// of the API (ProcessServiceClient, LogServiceClient, …), the google.rpc
// messages of error details, reasonFromError, and grpc: the @grpc/grpc-js
// the clients are built on (use its credentials and Metadata, not those
// of another copy).
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.grpc = exports.ErrorInfo = exports.Status = void 0;
__exportStar(require("./gsupervisor/v1/config"), exports);
__exportStar(require("./gsupervisor/v1/errors"), exports);
__exportStar(require("./gsupervisor/v1/event"), exports);
__exportStar(require("./gsupervisor/v1/log"), exports);
__exportStar(require("./gsupervisor/v1/process"), exports);
__exportStar(require("./gsupervisor/v1/supervisor"), exports);
var status_1 = require("./google/rpc/status");
Object.defineProperty(exports, "Status", { enumerable: true, get: function () { return status_1.Status; } });
var error_details_1 = require("./google/rpc/error_details");
Object.defineProperty(exports, "ErrorInfo", { enumerable: true, get: function () { return error_details_1.ErrorInfo; } });
__exportStar(require("./errorinfo"), exports);
exports.grpc = __importStar(require("@grpc/grpc-js"));
