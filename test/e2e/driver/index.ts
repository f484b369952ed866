/**
 * e2e engine driver: a test driver that reproduces the Pulumi engine's calls to a dynamic provider
 * (not an engine). See README.md. install -> capture -> host -> Stack.
 */
export * from "./capture";
export * from "./host";
export * from "./install";
export * from "./props";
export * from "./stack";
