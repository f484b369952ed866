/**
 * Type-level tests of `MediaProvider.get` and `getMediaProviders`, compiled by the typecheck step and
 * never run: each `@ts-expect-error` fails the build if its line type-checks.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  type GetMediaProvidersArgs,
  type GetMediaProvidersResult,
  getMediaProviders,
  getMediaProvidersOutput,
  MediaProvider,
  type MediaProviderConfig,
} from "../../src";
import type { getMediaProvidersArgsSchema } from "../../src/provider/get-media-providers";
import type { Same } from "./same";

/** The arguments say exactly what the function checks. */
export const argsAgree: Same<GetMediaProvidersArgs, z.input<typeof getMediaProvidersArgsSchema>> = true;

export function reads(): MediaProvider[] {
  const existing: MediaProvider = MediaProvider.get("existing", "my-bot/media_bucket");
  const byOption = new MediaProvider("by-option", undefined, { id: "my-bot/media_bucket" });
  // @ts-expect-error: without args, only a read (an id) makes a MediaProvider
  const neither = new MediaProvider("neither", undefined);
  return [existing, byOption, neither];
}

/** Credentials are reachable only as secret outputs; names and kinds are plain. */
export async function lists(): Promise<unknown[]> {
  const result: GetMediaProvidersResult = await getMediaProviders({ region: "eu1" });
  const [first] = result.providers;
  const name: string | undefined = first?.name;
  // @ts-expect-error: config is an output, not the credentials themselves
  const plain: MediaProviderConfig | undefined = first?.config;
  // @ts-expect-error: a region the function refuses does not compile
  await getMediaProviders({ region: "mars" });
  const listed = getMediaProvidersOutput({ botId: getMediaProvidersOutput().botId });
  const config: pulumi.Output<MediaProviderConfig> | undefined = first?.config;
  return [name, plain, config, listed];
}
