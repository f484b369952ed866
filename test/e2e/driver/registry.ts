/**
 * Registry step of the e2e engine driver: an npm registry on 127.0.0.1 holding exactly the packages
 * of some lockfiles, so that a test can run `npm ci` and `npm install` as a user types them, with no
 * network. Its packuments are made from the lockfiles' entries (version, dependencies, peers, bin,
 * engines, os, cpu, integrity); `dist-tags.latest` is the highest version held. Its tarballs are the
 * ones npm itself downloaded when it installed those lockfiles: read from npm's cache by integrity
 * (`<cache>/_cacache/content-v2/<algorithm>/<hex>`, cacache's content-addressed layout), so they are
 * the registry's own bytes. A package missing from the cache is answered 404 and listed in `misses`.
 */
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/** A lockfile entry (`packages["node_modules/…"]`), as far as a packument needs it. */
interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  link?: boolean;
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  license?: string;
  hasInstallScript?: boolean;
}

const MANIFEST_FIELDS = [
  "dependencies",
  "optionalDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "bin",
  "engines",
  "os",
  "cpu",
  "license",
  "hasInstallScript",
] as const;

export interface LocalRegistry {
  /** The registry URL, for `npm_config_registry`. */
  url: string;
  /** Requests answered 404: a package or tarball the lockfiles or npm's cache do not hold. */
  misses: string[];
  close(): Promise<void>;
}

/** The tarball path the npm registry gives a package: `/<name>/-/<name without scope>-<version>.tgz`. */
const tarballPath = (name: string, version: string) => `/${name}/-/${name.split("/").pop()}-${version}.tgz`;

/** `a` before `b` in semver order (numeric parts; a prerelease before its release). */
function semverLess(a: string, b: string): boolean {
  const parse = (v: string) => {
    const [core = "", pre] = v.split("-", 2);
    return { parts: core.split(".").map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  if (x.pre === y.pre) return false;
  if (x.pre === undefined) return false;
  if (y.pre === undefined) return true;
  return x.pre < y.pre;
}

/** Every registry package version of the lockfiles: name -> version -> entry. */
function readLockfiles(lockfiles: readonly string[]): Map<string, Map<string, LockEntry>> {
  const packages = new Map<string, Map<string, LockEntry>>();
  for (const file of lockfiles) {
    const lock = JSON.parse(readFileSync(file, "utf8")) as { packages?: Record<string, LockEntry> };
    for (const [where, entry] of Object.entries(lock.packages ?? {})) {
      const fromRegistry = !entry.resolved || entry.resolved.startsWith("https://registry.npmjs.org/");
      if (!where.includes("node_modules/") || entry.link || !entry.version || !entry.integrity) continue;
      if (!fromRegistry) continue;
      const name = entry.name ?? where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length);
      const versions = packages.get(name) ?? new Map<string, LockEntry>();
      versions.set(entry.version, entry);
      packages.set(name, versions);
    }
  }
  return packages;
}

/** Where npm's cache keeps the content with this integrity (the first hash of the list). */
function cachedContent(cache: string, integrity: string): string {
  const [algorithm = "", base64 = ""] = (integrity.split(/\s+/)[0] ?? "").split("-", 2);
  const hex = Buffer.from(base64, "base64").toString("hex");
  return path.join(
    cache,
    "_cacache",
    "content-v2",
    algorithm,
    hex.slice(0, 2),
    hex.slice(2, 4),
    hex.slice(4),
  );
}

/**
 * Starts a registry serving the registry packages of `lockfiles`, with tarballs from npm's cache
 * folder `cache` (`npm config get cache`).
 */
export async function startRegistry(opts: {
  lockfiles: readonly string[];
  cache: string;
}): Promise<LocalRegistry> {
  const packages = readLockfiles(opts.lockfiles);
  const tarballs = new Map<string, string>();
  for (const [name, versions] of packages) {
    for (const [version, entry] of versions) tarballs.set(tarballPath(name, version), entry.integrity ?? "");
  }
  const misses: string[] = [];
  let url = "";

  const packument = (name: string) => {
    const versions = packages.get(name);
    if (!versions) return undefined;
    const manifests: Record<string, unknown> = {};
    let latest = "";
    for (const [version, entry] of versions) {
      const manifest: Record<string, unknown> = { name, version };
      for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field];
      manifest.dist = { tarball: `${url}${tarballPath(name, version)}`, integrity: entry.integrity };
      manifests[version] = manifest;
      if (!latest || semverLess(latest, version)) latest = version;
    }
    return { name, "dist-tags": { latest }, versions: manifests };
  };

  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://registry").pathname);
    const integrity = tarballs.get(pathname);
    const file = integrity ? cachedContent(opts.cache, integrity) : undefined;
    if (file && existsSync(file)) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      createReadStream(file).pipe(res);
      return;
    }
    const doc = integrity ? undefined : packument(pathname.slice(1));
    if (doc) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
      return;
    }
    misses.push(`${req.method} ${pathname}`);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    misses,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
