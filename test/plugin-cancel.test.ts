import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { CancelledError } from "../src/errors";
import { cancel } from "../src/plugin/handlers/cancel";
import { Empty } from "../src/plugin/proto";
import { toRpcStatus } from "../src/plugin/rpc-error";

describe("the plugin's Cancel", () => {
  it("answers once the operations' signal has aborted", async () => {
    const controller = new AbortController();
    const answer = await cancel(controller).handle(new Empty());
    expect(answer).toBeInstanceOf(Empty);
    expect(controller.signal.aborted).toBe(true);
  });

  it("says CANCELLED for a cancellation that wrote nothing, UNKNOWN for one after which a write may have reached the API", () => {
    const request = "POST https://api.example/bot/providers";
    const unsent = new CancelledError({ request, stage: "connection" });
    expect(toRpcStatus(unsent, [])).toEqual({
      code: status.CANCELLED,
      details: `ERR_WHATSAPP_CANCELLED: ${unsent.message}`,
    });
    const sent = new CancelledError({ request, stage: "headers", written: "this request" });
    expect(toRpcStatus(sent, []).code).toBe(status.UNKNOWN);
    const afterWrite = unsent.afterWrite();
    expect(afterWrite.mayHaveWritten).toBe(true);
    expect(afterWrite.message).toContain("A write made earlier by this operation reached the API");
    expect(toRpcStatus(afterWrite, []).code).toBe(status.UNKNOWN);
  });
});
