// Read at run time rather than imported, so the version is the installed package's own.
const { name, version } = require("../../package.json") as { name: string; version: string };

/** The installed package's version. */
export const PACKAGE_VERSION = version;

/** `User-Agent` of every request: the package and its version. */
export const USER_AGENT = `${name}/${version} node/${process.versions.node}`;
