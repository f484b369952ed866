/** What the installed package says of itself in its package.json. */
interface PackageJson {
  name: string;
  version: string;
  description: string;
  homepage: string;
  license: string;
}

// Read at run time rather than imported, so the values are the installed package's own.
/** The installed package's package.json. */
export const PACKAGE_JSON = require("../../package.json") as PackageJson;

/** The installed package's version. */
export const PACKAGE_VERSION = PACKAGE_JSON.version;
