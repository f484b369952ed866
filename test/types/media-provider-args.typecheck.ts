/**
 * Type-level tests of the public types, compiled by `tsc -p tsconfig.json` (the typecheck step of
 * `npm test`) and never run: each `@ts-expect-error` fails the build if its line type-checks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MediaProvider, MediaProviderArgs, MediaProviderConfig, VerifyOptions } from "../../src";

export const basic: MediaProviderArgs = { config: { basic: { username: "svc", password: "pw" } } };
export const bearer: MediaProviderArgs = { config: { bearer: pulumi.secret("token") } };

export const both: MediaProviderArgs = {
  // @ts-expect-error: a provider has exactly one kind of credentials
  config: { basic: { username: "svc", password: "pw" }, bearer: "token" },
};

export const bothFromOutput: MediaProviderArgs = {
  // @ts-expect-error: also when the config is an output
  config: pulumi.output({ basic: { username: "svc", password: "pw" }, bearer: "token" }),
};

export const neither: MediaProviderArgs = {
  // @ts-expect-error: one of them is required
  config: {},
};

/** The outputs are typed as the public types, and the inputs kept in state are declared. */
export function outputs(resource: MediaProvider): pulumi.Output<unknown>[] {
  const config: pulumi.Output<MediaProviderConfig> = resource.config;
  const verify: pulumi.Output<VerifyOptions | undefined> = resource.verify;
  const adoptExisting: pulumi.Output<boolean | undefined> = resource.adoptExisting;
  const apiToken: pulumi.Output<string | undefined> = resource.apiToken;
  return [config, verify, adoptExisting, apiToken];
}
