import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type * as pkg from "../src";

// The class as the package ships it: its `require("../provider")` resolves in dist/ (built by the
// unit project's global setup). Reading by id goes through the engine's read
// (test/e2e/lookup.test.ts); what is refused here happens before any registration.
const { ConfigurationError, MediaProvider }: typeof pkg = createRequire(__filename)("../dist/index.js");

describe("MediaProvider with an id", () => {
  it("refuses args with opts.id, which the engine would take as a state to refresh", () => {
    const declareAndRead = () => new MediaProvider("cdn", { config: { bearer: "b" } }, { id: "my-bot/cdn" });
    expect(declareAndRead).toThrow(ConfigurationError);
    expect(declareAndRead).toThrow('call MediaProvider.get("cdn", id) without args');
  });
});
