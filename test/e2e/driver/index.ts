/**
 * e2e engine driver: a test driver that runs Pulumi programs the way `pulumi up` does and makes the
 * engine's calls to a dynamic provider (not an engine). See README.md.
 * install / checkout (registry, markdown) -> program + monitor -> host -> Stack.
 */
export * from "./checkout";
export * from "./config";
export * from "./git-host";
export * from "./host";
export * from "./install";
export * from "./markdown";
export * from "./monitor";
export * from "./npm";
export * from "./plugin-host";
export * from "./program";
export * from "./props";
export * from "./provider-calls";
export * from "./readme-shell";
export * from "./registry";
export * from "./stack";
