// The tool's name and version, as every report records them. Kept in source rather than read
// from package.json at run time, so that the compiled package and bundles of it need no file
// beside them; src/core/version.test.ts fails when this drifts from package.json.
export const TOOL_NAME = 'nn-doctor';
export const TOOL_VERSION = '0.1.0';
