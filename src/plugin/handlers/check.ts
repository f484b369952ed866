import { check as checkInputs } from "../../provider/check";
import { autoName } from "../../resource/auto-name";
import type { CheckRequest, CheckResponse } from "../resource-messages";
import { inputsProps } from "../resource-props";
import type { Rpc } from "../unary";
import { received } from "../wire-values";

/** The resource's name: the request's, else the last part of its URN (`urn:pulumi:stack::project::type::name`). */
function resourceName(request: CheckRequest): string {
  return request.name || request.urn.split("::").at(-1) || "";
}

/**
 * The auto-name of the dynamic resource's rule, seeded with the engine's random seed (same seed,
 * same name; the engine sends a new one for each new resource), or with the URN when it sends none.
 */
function autoNameOf(request: CheckRequest): string {
  const seed = Buffer.from(request.randomSeed).toString("hex");
  return autoName(resourceName(request), seed || request.urn);
}

/**
 * Check: the dynamic resource's `check` (no network call; unknown values pass), with the
 * auto-name from the engine's seed. Failures are CheckFailure entries with the same reasons.
 */
export const check: Rpc<CheckRequest, CheckResponse> = {
  bags: (request) => [request.olds, request.news],
  async handle(request) {
    const olds = received(request.olds).props;
    const news = received(request.news);
    const result = await checkInputs(olds, { ...news.props, autoName: autoNameOf(request) });
    return {
      inputs: inputsProps(result.inputs ?? {}, news.secretKeys),
      failures: result.failures ?? [],
    };
  },
};
