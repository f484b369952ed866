// Two media providers on one bot: Basic credentials for a storage bucket, a Bearer token for a
// CDN. The bot, region and API token come from stack config (whatsapp:*), the storage
// credentials from this project's own secret config.
import * as pulumi from "@pulumi/pulumi";
import { MediaProvider } from "pulumi-sinch-whatsapp";

const cfg = new pulumi.Config();

// With bucketProbeUrl set (a file on the bucket), every create and update first checks the
// credentials against the bucket, so a wrong password fails the deployment, not a message.
const probeUrl = cfg.get("bucketProbeUrl");

const bucket = new MediaProvider("bucket", {
  name: "media_bucket",
  config: {
    basic: {
      username: cfg.require("bucketUser"),
      password: cfg.requireSecret("bucketPassword"),
    },
  },
  verify: probeUrl ? { url: probeUrl } : undefined,
});

const cdn = new MediaProvider("cdn", {
  // No name: one is derived from the resource name ("cdn-" and eight letters) and kept.
  config: { bearer: cfg.requireSecret("cdnToken") },
});

/** Names to put in the `provider` field of media messages. */
export const providerNames = { bucket: bucket.name, cdn: cdn.name };
export const bucketUser = bucket.username;
