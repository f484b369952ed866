import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime";
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../src/utils/pulumi-wire";

describe("the wire format's constants", () => {
  it("are the installed SDK's (kept here so the plugin need not load @pulumi/pulumi/runtime)", () => {
    expect({ UNKNOWN, SIG_KEY, SECRET_SIG }).toEqual({
      UNKNOWN: unknownValue,
      SIG_KEY: specialSigKey,
      SECRET_SIG: specialSecretSig,
    });
  });
});
