/**
 * Start-up of a provider process: from spawning the SDK's dynamic-provider host to the first Check
 * answered, after Handshake and Configure as the engine sends them. The first Check is where the
 * host deserializes `__provider`, i.e. requires the provider module and everything it imports.
 */
import { randomBytes } from "node:crypto";
import { makeSecret, ProviderHost, type Registration, unwrapSecrets } from "../test/e2e/driver";

/** The stack the host is started for: project name, config (namespaced keys) and its secret keys. */
export interface StackSettings {
  project: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Extra environment of the provider hosts (e.g. `NODE_OPTIONS` for `--host-cpu-prof`). */
  hostEnv?: Record<string, string>;
}

export interface StartupRun {
  /** Spawn until the host printed its gRPC port. */
  portMs: number;
  /** Spawn until Configure was answered. */
  configureMs: number;
  /** Spawn until the first Check was answered. */
  firstCheckMs: number;
}

export async function measureStartup(
  dir: string,
  settings: StackSettings,
  resource: Registration,
): Promise<StartupRun> {
  const t0 = performance.now();
  const host = await ProviderHost.start(dir, { project: settings.project, config: settings.config });
  try {
    const handshake = new host.pb.ProviderHandshakeRequest();
    handshake.setEngineAddress("127.0.0.1:1");
    handshake.setRootDirectory(dir);
    handshake.setProgramDirectory(dir);
    handshake.setConfigureWithUrn(true);
    await host.call("handshake", handshake).catch(() => undefined); // UNIMPLEMENTED in the nodejs host

    const secret = new Set(settings.secretKeys);
    const args = Object.fromEntries(
      Object.entries(settings.config).map(([k, v]) => [k, secret.has(k) ? makeSecret(v) : v]),
    );
    const configure = new host.pb.ConfigureRequest();
    configure.setArgs(host.toStruct(args));
    configure.setAcceptsecrets(true);
    configure.setAcceptresources(true);
    await host.call("configure", configure);
    const configureMs = performance.now() - t0;

    const check = new host.pb.CheckRequest();
    check.setUrn(resource.urn);
    check.setName(resource.name);
    check.setType(resource.type);
    check.setOlds(host.toStruct({}));
    check.setNews(host.toStruct(unwrapSecrets(resource.inputs)));
    check.setRandomseed(randomBytes(32));
    const res = await host.call("check", check);
    const firstCheckMs = performance.now() - t0;
    const failures = res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
    if (failures.length > 0) throw new Error(`start-up Check failed: ${failures.join("; ")}`);
    return { portMs: host.startMs, configureMs, firstCheckMs };
  } finally {
    await host.stop();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
