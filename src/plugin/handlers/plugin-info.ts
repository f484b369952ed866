import { status } from "@grpc/grpc-js";
import { PACKAGE_VERSION } from "../../utils/package-json";
import { packageSchema } from "../package-schema";
import { Empty, plugin, provider } from "../proto";
import { RpcRefusal } from "../rpc-error";
import type { Rpc } from "../unary";

/** GetPluginInfo: this package's version. */
export const getPluginInfo: Rpc<Empty, plugin.PluginInfo> = {
  async handle() {
    return new plugin.PluginInfo().setVersion(PACKAGE_VERSION);
  },
};

let schemaText: string | undefined;

/** GetSchema: the package schema (version 0, the only one there is). */
export const getSchema: Rpc<provider.GetSchemaRequest, provider.GetSchemaResponse> = {
  async handle(request) {
    if (request.getVersion() !== 0) {
      throw new RpcRefusal(status.INVALID_ARGUMENT, `unsupported schema version ${request.getVersion()}`);
    }
    schemaText ??= JSON.stringify(packageSchema());
    return new provider.GetSchemaResponse().setSchema(schemaText);
  },
};

/** Attach: the engine of a plugin started by hand (`PULUMI_DEBUG_PROVIDERS`); nothing here calls it back. */
export const attach: Rpc<plugin.PluginAttach, Empty> = {
  async handle() {
    return new Empty();
  },
};
