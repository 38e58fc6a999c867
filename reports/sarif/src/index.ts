import { defineReporter } from '@trailwarden/core';
import { GITHUB_MAX_GZIP_BYTES, GITHUB_MAX_RESULTS, type SarifOptions, renderSarif } from './sarif.js';

export { GITHUB_MAX_GZIP_BYTES, GITHUB_MAX_RESULTS, SARIF_SCHEMA_URI, renderSarif, resolveOptions, type SarifOptions } from './sarif.js';
export { LEVEL, MAX_TAGS, PRECISION, SECURITY_SEVERITY, buildRule, ruleTags } from './rules.js';
export { artifactUri } from './locations.js';
export type * from './sarif-types.js';

export default defineReporter<SarifOptions>({
  id: 'sarif',
  extension: '.sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning: one rule per check, one result per failed resource',
  // The same limits resolveOptions applies at render time (library callers), checked here before any collection.
  options: {
    schema: {
      type: 'object',
      properties: {
        includeErrors: { type: 'boolean' },
        includeExcepted: { type: 'boolean' },
        maxResults: { type: 'integer', minimum: 0, maximum: GITHUB_MAX_RESULTS },
        maxGzipBytes: { type: 'integer', minimum: 1, maximum: GITHUB_MAX_GZIP_BYTES },
        helpBaseUri: { type: 'string', pattern: '^https?://\\S+/$' },
      },
      additionalProperties: false,
    },
  },
  render: (result, options) => renderSarif(result, options),
});
