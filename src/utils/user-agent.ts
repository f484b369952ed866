import { PACKAGE_JSON } from "./package-json";

/** `User-Agent` of every request: the package and its version. */
export const USER_AGENT = `${PACKAGE_JSON.name}/${PACKAGE_JSON.version} node/${process.versions.node}`;
