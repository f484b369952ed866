import { configureSettings } from "../../provider/context";
import { changedKeys } from "../../provider/diff";
import { readSettings } from "../../provider/settings";
import { containsUnknown } from "../../provider/unknown";
import { pluginConfigSource } from "../config-source";
import { diffResponse } from "../diff-response";
import { PROVIDER_CONFIG, secretProps } from "../json-schemas";
import { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct, toStruct } from "../wire-values";

/**
 * CheckConfig: each config value the settings would refuse (a tuning key that is not a whole
 * number) is a failure on its key; values not known yet (previews) pass. The engine sends the
 * config with secrets unwrapped, so the inputs go back with the token (and any value that came
 * wrapped) wrapped again.
 */
export const checkConfig: Rpc<provider.CheckRequest, provider.CheckResponse> = {
  structs: (request) => [request.getOlds(), request.getNews()],
  async handle(request) {
    const { props, secretKeys } = fromStruct(request.getNews());
    const response = new provider.CheckResponse();
    response.setInputs(toStruct(secretProps(props, PROVIDER_CONFIG, secretKeys)));
    for (const key of Object.keys(props)) {
      if (containsUnknown(props[key])) continue;
      try {
        readSettings(pluginConfigSource(new Map(), { [key]: props[key] }), {});
      } catch (error) {
        const failure = new provider.CheckFailure();
        failure.setProperty(key);
        failure.setReason(error instanceof Error ? error.message : String(error));
        response.addFailures(failure);
      }
    }
    return response;
  },
};

/**
 * DiffConfig: the keys that changed. None replaces the provider: every resource keeps its bot and
 * endpoint in its own state, and a changed token or tuning value applies from then on.
 */
export const diffConfig: Rpc<provider.DiffRequest, provider.DiffResponse> = {
  structs: (request) => [request.getOlds(), request.getOldInputs(), request.getNews()],
  async handle(request) {
    const olds = fromStruct(request.getOldInputs() ?? request.getOlds()).props;
    const news = fromStruct(request.getNews()).props;
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
  structs: (request) => [request.getArgs()],
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
