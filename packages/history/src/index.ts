/**
 * @trailwarden/history — the scan history (one SQLite file through Node's built-in `node:sqlite`),
 * and the comparison of two scans that diffs and baselines use. See README.md for the schema.
 */
export { History, countStatuses, type CheckCounts, type ControlRecord, type ExceptionRecord, type RecordInput, type ScanRecord } from './history.js';
export { diffFindings, diffCounts, isWorse, type ChangedFinding, type DiffFinding, type ScanDiff } from './diff.js';
export { HISTORY_SCHEMA_VERSION } from './schema.js';
export { loadSqlite } from './sqlite.js';
export {
  buildEvidence,
  parsePeriodBound,
  CONTINUITY_CHECK_ID,
  EVIDENCE_SCHEMA_ID,
  EVIDENCE_SCHEMA_VERSION,
  type EvidenceControl,
  type EvidenceException,
  type EvidenceReport,
  type EvidenceScan,
  type EvidenceWindow,
} from './evidence.js';
export { renderEvidenceHtml, escapeHtml } from './evidence-html.js';
export { EVIDENCE_SCHEMA_PATH, loadEvidenceSchema } from './evidence-schema.js';
