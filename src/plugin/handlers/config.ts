import { configureSettings } from "../../provider/context";
import { changedKeys } from "../../provider/diff";
import { readSettings } from "../../provider/settings";
import { containsUnknown } from "../../provider/unknown";
import { pluginConfigSource } from "../config-source";
import { diffResponse } from "../diff-response";
import { PROVIDER_CONFIG, secretProps } from "../json-schemas";
import { provider } from "../proto";
import type { CheckRequest, CheckResponse, DiffRequest, DiffResponse } from "../resource-messages";
import type { Rpc } from "../unary";
import { fromStruct, received } from "../wire-values";

/**
 * CheckConfig: each config value the settings would refuse (a tuning key that is not a whole
 * number) is a failure on its key; values not known yet (previews) pass. The engine sends the
 * config with secrets unwrapped, so the inputs go back with the token (and any value that came
 * wrapped) wrapped again.
 */
export const checkConfig: Rpc<CheckRequest, CheckResponse> = {
  bags: (request) => [request.olds, request.news],
  async handle(request) {
    const { props, secretKeys } = received(request.news);
    const failures: CheckResponse["failures"] = [];
    for (const key of Object.keys(props)) {
      if (containsUnknown(props[key])) continue;
      try {
        readSettings(pluginConfigSource(new Map(), { [key]: props[key] }), {});
      } catch (error) {
        failures.push({ property: key, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return { inputs: secretProps(props, PROVIDER_CONFIG, secretKeys), failures };
  },
};

/**
 * DiffConfig: the keys that changed. None replaces the provider: every resource keeps its bot and
 * endpoint in its own state, and a changed token or tuning value applies from then on.
 */
export const diffConfig: Rpc<DiffRequest, DiffResponse> = {
  bags: (request) => [request.olds, request.oldInputs, request.news],
  async handle(request) {
    const olds = received(request.oldInputs ?? request.olds).props;
    const news = received(request.news).props;
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])];
    return diffResponse({ replaces: [], updates: changedKeys(keys, olds, news) }, olds, news);
  },
};

/**
 * Configure: the stack config (or an explicit provider's inputs) through the dynamic resource's
 * settings code. Secrets are accepted (and unwrapped here), and Create and Update are called in
 * previews (they send nothing then).
 */
export const configure: Rpc<provider.ConfigureRequest, provider.ConfigureResponse> = {
  bags: (request) => [request.getArgs()?.toJavaScript()],
  async handle(request) {
    await configureSettings(
      pluginConfigSource(request.getVariablesMap(), fromStruct(request.getArgs()).props),
    );
    const response = new provider.ConfigureResponse();
    response.setAcceptsecrets(true);
    response.setSupportspreview(true);
    // No input of a MediaProvider is a resource: references arrive as their ids.
    response.setAcceptresources(false);
    response.setAcceptoutputs(false);
    return response;
  },
};
