import type { dynamic } from "@pulumi/pulumi";
import { configureSettings } from "./context";

/** Receives the whole stack config (secrets decrypted) once per provider process. */
export function configure(req: dynamic.ConfigureRequest): Promise<void> {
  return configureSettings(req.config);
}
