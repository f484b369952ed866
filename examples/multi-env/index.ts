// One program for every environment. What differs per stack lives in its Pulumi.<stack>.yaml:
// the bot and its region (whatsapp:botId, whatsapp:region), the bot's API token
// (whatsapp:apiToken) and the storage credentials, the secrets encrypted.
import * as pulumi from "@pulumi/pulumi";
import { MediaProvider } from "pulumi-sinch-whatsapp";

const cfg = new pulumi.Config();
const stack = pulumi.getStack();

// The bucket the bot's media come from: Basic credentials. With storageProbeUrl set (a small
// file on the storage), they are checked before each create and update, so a wrong password
// fails the deployment instead of a customer's message.
const probeUrl = cfg.get("storageProbeUrl");
const bucket = new MediaProvider("bucket", {
  name: "media_bucket",
  config: {
    basic: {
      username: cfg.require("storageUser"),
      password: cfg.requireSecret("storagePassword"),
    },
  },
  verify: probeUrl ? { url: probeUrl } : undefined,
});

// The CDN in front of it: a Bearer token, a name derived from the resource name.
const cdn = new MediaProvider("cdn", {
  config: { bearer: cfg.requireSecret("cdnToken") },
});

/** The names to put in the `provider` field of media messages, per environment. */
export const providerNames = { bucket: bucket.name, cdn: cdn.name };
export const environment = stack;
