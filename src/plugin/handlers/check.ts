import { check as checkInputs } from "../../provider/check";
import { autoName } from "../../resource/auto-name";
import { provider } from "../proto";
import { inputsStruct } from "../resource-props";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";

/** The resource's name: the request's, else the last part of its URN (`urn:pulumi:stack::project::type::name`). */
function resourceName(request: provider.CheckRequest): string {
  return request.getName() || request.getUrn().split("::").at(-1) || "";
}

/**
 * The auto-name of the dynamic resource's rule, seeded with the engine's random seed (same seed,
 * same name; the engine sends a new one for each new resource), or with the URN when it sends none.
 */
function autoNameOf(request: provider.CheckRequest): string {
  const seed = Buffer.from(request.getRandomseed_asU8()).toString("hex");
  return autoName(resourceName(request), seed || request.getUrn());
}

/**
 * Check: the dynamic resource's `check` (no network call; unknown values pass), with the
 * auto-name from the engine's seed. Failures are CheckFailure entries with the same reasons.
 */
export const check: Rpc<provider.CheckRequest, provider.CheckResponse> = {
  structs: (request) => [request.getOlds(), request.getNews()],
  async handle(request) {
    const olds = fromStruct(request.getOlds()).props;
    const news = fromStruct(request.getNews());
    const result = await checkInputs(olds, { ...news.props, autoName: autoNameOf(request) });
    const response = new provider.CheckResponse();
    response.setInputs(inputsStruct(result.inputs ?? {}, news.secretKeys));
    for (const { property, reason } of result.failures ?? []) {
      const failure = new provider.CheckFailure();
      failure.setProperty(property);
      failure.setReason(reason);
      response.addFailures(failure);
    }
    return response;
  },
};
