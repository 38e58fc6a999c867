/** create-trailwarden-check: scaffold a Trailwarden check plugin package (also behind `trailwarden new check`). */
export { scaffoldCheck, packageNameProblem, defaultCheckId, ScaffoldError, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
export { TOOL_VERSIONS } from './templates.js';
