import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { cancelOperationsOn } from "../provider/context";
import { cancel } from "./handlers/cancel";
import { check } from "./handlers/check";
import { checkConfig, configure, diffConfig } from "./handlers/config";
import { create } from "./handlers/create";
import { deleteResource } from "./handlers/delete";
import { diff } from "./handlers/diff";
import { invoke } from "./handlers/invoke";
import { attach, getPluginInfo, getSchema } from "./handlers/plugin-info";
import { read } from "./handlers/read";
import { update } from "./handlers/update";
import { unary } from "./unary";

/**
 * The plugin's `pulumirpc.ResourceProvider` methods. Those left out answer UNIMPLEMENTED (grpc-js
 * does so for a method without a handler, and for one the SDK's definitions lack): Handshake (the
 * engine then configures through Configure), Parameterize, Call, Construct (components only),
 * List, GetMapping and GetMappings (conversions only); the engine accepts that from any provider.
 * Its `Cancel` cancels every operation of the process, so one service is made per process.
 */
export function resourceProviderService(): UntypedServiceImplementation {
  const cancellation = new AbortController();
  cancelOperationsOn(cancellation.signal);
  return {
    getPluginInfo: unary(getPluginInfo),
    getSchema: unary(getSchema),
    checkConfig: unary(checkConfig),
    diffConfig: unary(diffConfig),
    configure: unary(configure),
    invoke: unary(invoke),
    check: unary(check),
    diff: unary(diff),
    create: unary(create),
    read: unary(read),
    update: unary(update),
    delete: unary(deleteResource),
    cancel: unary(cancel(cancellation)),
    attach: unary(attach),
  };
}
