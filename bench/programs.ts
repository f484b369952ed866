/**
 * The Pulumi programs the benchmark runs (through the SDK's program runner, as `pulumi up` does): N resources
 * named `mp-<i>`, each with a provider name made of letters (the API refuses digits) and Basic
 * credentials whose password carries a version, so that a second version changes every resource.
 * The empty provider's program declares the same inputs, secret where MediaProvider makes them so.
 */
import { letters } from "../test/support/letters";

const COMMON = `
const pulumi = require("@pulumi/pulumi");
const n = Number(process.env.BENCH_N);
const version = process.env.BENCH_VERSION;
const letters = (i) => {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  } while (i > 0);
  return s;
};
const spec = (i) => ({
  name: \`bench_\${letters(i)}\`,
  config: { basic: { username: "svc", password: \`pw-\${version}-\${i}\` } },
});
`;

/** N MediaProviders of this package. */
export const MEDIA_PROGRAM = `${COMMON}
const { MediaProvider } = require("pulumi-sinch-whatsapp");
for (let i = 0; i < n; i++) new MediaProvider(\`mp-\${i}\`, spec(i));
`;

/** N resources of the empty provider, with the same inputs. */
export const EMPTY_PROGRAM = `${COMMON}
const { EmptyResource } = require("empty-provider");
for (let i = 0; i < n; i++) {
  const { name, config } = spec(i);
  new EmptyResource(\`mp-\${i}\`, { name, config: pulumi.secret(config) }, { additionalSecretOutputs: ["config"] });
}
`;

/** The provider name of resource `i` (as the programs compute it). */
export const providerName = (i: number): string => `bench_${letters(i)}`;

/** The password of resource `i` in program version `version`. */
export const password = (version: string, i: number) => `pw-${version}-${i}`;
