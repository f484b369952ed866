import { createRequire } from "node:module";

import plugin = require("@pulumi/pulumi/proto/plugin_pb");
import provider = require("@pulumi/pulumi/proto/provider_pb");
import service = require("@pulumi/pulumi/proto/provider_grpc_pb");

// The gRPC definitions ship with the `@pulumi/pulumi` peer (since 3.139; the package has no exports
// map, so the deep imports resolve). The well-known types are loaded from where those definitions
// load them, so that a Struct made here is the class they serialize, whichever copy of
// google-protobuf the user's install holds.
const fromDefinitions = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const struct = fromDefinitions(
  "google-protobuf/google/protobuf/struct_pb",
) as typeof import("google-protobuf/google/protobuf/struct_pb");
const empty = fromDefinitions(
  "google-protobuf/google/protobuf/empty_pb",
) as typeof import("google-protobuf/google/protobuf/empty_pb");

export { plugin, provider, service };
export const { Struct } = struct;
export type Struct = InstanceType<typeof Struct>;
export const { Empty } = empty;
export type Empty = InstanceType<typeof Empty>;
