import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decryptValue, passphraseFromEnv } from "../src/utils/pulumi-secrets";
import { createEncryptionSalt, encryptValue } from "./support/pulumi-secrets";

// Vectors from the Pulumi repository, written by the Pulumi CLI itself:
// pkg/secrets/passphrase/manager_test.go (passphrase "password", whose salt carries "pulumi") and
// tests/roundtrip/roundtrip_test.go (a stack file with a secure value).
const MANAGER_TEST_SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
const ROUNDTRIP_SALT = "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==";
const ROUNDTRIP_SECRET = "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==";

const dir = mkdtempSync(join(tmpdir(), "pulumi-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Pulumi passphrase secrets", { timeout: 30_000 }, () => {
  it("decrypts values the Pulumi CLI encrypted", () => {
    expect(
      decryptValue("password", MANAGER_TEST_SALT, MANAGER_TEST_SALT.slice("v1:fozI5u6B030=:".length)),
    ).toBe("pulumi");
    expect(decryptValue("TestConfigRoundtripComments", ROUNDTRIP_SALT, ROUNDTRIP_SECRET)).toBe(
      "secret-value",
    );
  });

  it("round-trips values through a new salt, with a fresh nonce each time", () => {
    const salt = createEncryptionSalt("correct horse battery staple");
    expect(salt).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    for (const plaintext of ["", 'tok\'en with "quotes" $HOME', "ünïcødé 🔑", "x".repeat(5000)]) {
      const value = encryptValue("correct horse battery staple", salt, plaintext);
      expect(value).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
      expect(decryptValue("correct horse battery staple", salt, value)).toBe(plaintext);
    }
    expect(encryptValue("password", MANAGER_TEST_SALT, "same")).not.toBe(
      encryptValue("password", MANAGER_TEST_SALT, "same"),
    );
  });

  it("accepts the empty passphrase, as the Pulumi CLI does", () => {
    const salt = createEncryptionSalt("");
    expect(decryptValue("", salt, encryptValue("", salt, "v"))).toBe("v");
  });

  it("says a wrong passphrase is incorrect, and names the variables to set", () => {
    expect(() => decryptValue("wrong", ROUNDTRIP_SALT, ROUNDTRIP_SECRET)).toThrow(
      /^incorrect passphrase: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE/,
    );
    expect(() => encryptValue("wrong", MANAGER_TEST_SALT, "x")).toThrow(/incorrect passphrase/);
  });

  it("tells a value encrypted for another stack from a wrong passphrase", () => {
    const other = encryptValue("password", MANAGER_TEST_SALT, "x");
    expect(() => decryptValue("TestConfigRoundtripComments", ROUNDTRIP_SALT, other)).toThrow(
      /not encrypted with this stack's key/,
    );
  });

  it("rejects malformed salts and values with a clear message", () => {
    expect(() => decryptValue("p", "v1:abc", ROUNDTRIP_SECRET)).toThrow(/encryptionsalt is malformed/);
    expect(() => decryptValue("p", "v2:ThS5UPxP9qc=:v1:a:b", ROUNDTRIP_SECRET)).toThrow(
      /encryptionsalt is malformed/,
    );
    expect(() => decryptValue("p", ROUNDTRIP_SALT.replace("ThS5", "Th!5"), ROUNDTRIP_SECRET)).toThrow(
      /not valid base64/,
    );
    for (const value of ["secret", "v2:T1ftqhY0hqr+EJK6:AAAA", "v1:AAAA:AAAAAAAAAAAAAAAAAAAAAAAA"]) {
      expect(() => decryptValue("TestConfigRoundtripComments", ROUNDTRIP_SALT, value)).toThrow(
        /secure value is malformed/,
      );
    }
  });

  it("reads the passphrase as the CLI does: the variable (even empty), else the trimmed file", () => {
    const file = join(dir, "passphrase.txt");
    writeFileSync(file, "  from file\n");
    expect(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE: "env", PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe(
      "env",
    );
    expect(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe("");
    expect(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe("from file");
    expect(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: "" })).toBeUndefined();
    expect(passphraseFromEnv({})).toBeUndefined();
    expect(() => passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, "missing") })).toThrow(
      "cannot read PULUMI_CONFIG_PASSPHRASE_FILE: ENOENT",
    );
  });
});
