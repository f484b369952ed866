import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attempt } from "../client/attempt";
import { RequestSlots } from "../client/request-slots";
import { parseList } from "../client/responses";
import { inputsSchema } from "../provider/inputs";
import { validState } from "../provider/state";
import { autoName } from "../resource/auto-name";
import { PROVIDER_TYPE } from "../types/media-provider";
import { PROXY_AGENT_OPTIONS, undici } from "../utils/undici";
import { MessageWriter } from "./protobuf-writer";
import { readCheckRequest, writeCheckResponse } from "./resource-messages";
import { inputsProps, outputsProps } from "./resource-props";
import { structBytes } from "./struct-bytes";
import { received, secret } from "./wire-values";

const CONFIG = { basic: { username: "warm-up", password: "warm-up" } };
const INPUTS = { botId: "bot", name: "warm-up", type: PROVIDER_TYPE, config: CONFIG };
const OUTPUTS = { ...INPUTS, authType: "basic", username: "warm-up" };
const LIST = {
  settings: { application: { media: { providers: [INPUTS, { ...INPUTS, config: { bearer: "b" } }] } } },
};

/**
 * Runs once, on made-up values and with no request to the API, the code that a command's first
 * calls would run for the first time: zod builds a schema's parser on its first parse, V8 compiles a
 * function on its first call, and undici compiles its HTTP parser (WebAssembly, shared by every
 * connection of the process) on its first connection. Called after the methods have loaded, while
 * the engine is still starting, so that a small stack's first Check and Create do not wait for that
 * (issue 25). Failures are ignored: the calls then pay for it themselves.
 */
export async function warmUp(): Promise<void> {
  // A Check as the engine sends it (news = field 3), through the codec and the provider's schema.
  const request = new MessageWriter()
    .string(1, "urn:warm-up")
    .message(3, structBytes({ ...INPUTS, config: secret(CONFIG) }));
  const news = received(readCheckRequest(request.bytes()).news);
  const checked = inputsSchema.safeParse({ ...news.props, autoName: autoName("warm-up", "00") });
  writeCheckResponse({ inputs: inputsProps(checked.data ?? {}, news.secretKeys), failures: [] });
  validState("bot/warm-up", OUTPUTS, "delete");
  outputsProps(OUTPUTS, new Set(["config"]));
  await warmUpHttp().catch(() => {});
}

/**
 * One request through the client's attempt and undici, to a server of this process on 127.0.0.1
 * that lives for that request only, with no proxy whatever the environment says; its answer (a
 * list) is parsed as the API's would be.
 */
async function warmUpHttp(): Promise<void> {
  const server = createServer((_request, response) => response.end(JSON.stringify(LIST)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { EnvHttpProxyAgent } = undici();
  const dispatcher = new EnvHttpProxyAgent({ ...PROXY_AGENT_OPTIONS, noProxy: "*" });
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const limits = { attemptMs: 10_000, callEndsAt: performance.now() + 10_000, maxResponseBytes: 1 << 20 };
    const ended = await attempt(
      dispatcher,
      { origin, path: "/", method: "GET" },
      limits,
      new RequestSlots(1),
    );
    if ("text" in ended) parseList(ended.text);
  } finally {
    await dispatcher.close();
    server.close();
  }
}
