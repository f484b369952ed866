import { parseList } from "../client/responses";
import { inputsSchema } from "../provider/inputs";
import { validState } from "../provider/state";
import { autoName } from "../resource/auto-name";
import { PROVIDER_TYPE } from "../types/media-provider";
import { readCheckRequest, writeCheckResponse } from "./resource-messages";
import { inputsProps, outputsProps } from "./resource-props";
import { received } from "./wire-values";

const CONFIG = { basic: { username: "warm-up", password: "warm-up" } };
const INPUTS = { botId: "bot", name: "warm-up", type: PROVIDER_TYPE, config: CONFIG };
const OUTPUTS = { ...INPUTS, authType: "basic", username: "warm-up" };
const LIST = {
  settings: { application: { media: { providers: [INPUTS, { ...INPUTS, config: { bearer: "b" } }] } } },
};

/**
 * Runs once, on made-up values and with no request, the code that a command's first calls would
 * run for the first time: zod builds a schema's parser on its first parse, and V8 compiles a
 * function on its first call. Called after the methods have loaded, while the engine is still
 * starting, so that a small stack's first Check and Create do not wait for that (issue 25).
 */
export function warmUp(): void {
  const checked = inputsSchema.safeParse({ ...INPUTS, autoName: autoName("warm-up", "00") });
  const answer = writeCheckResponse({ inputs: inputsProps(checked.data ?? {}, new Set()), failures: [] });
  received(readCheckRequest(answer).olds);
  validState("bot/warm-up", OUTPUTS, "delete");
  outputsProps(OUTPUTS, new Set(["config"]));
  parseList(JSON.stringify(LIST));
}
