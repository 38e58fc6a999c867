export { main, MAIN_HELP } from './main.js';
export { exitCodeFor, gatingFindings, isIncomplete, EXIT } from './exit-codes.js';
export type { CliIO } from './io.js';
