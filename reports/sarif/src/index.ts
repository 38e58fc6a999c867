import { defineReporter } from '@trailwarden/core';
import { type SarifOptions, renderSarif } from './sarif.js';

export { GITHUB_MAX_GZIP_BYTES, GITHUB_MAX_RESULTS, SARIF_SCHEMA_URI, renderSarif, resolveOptions, type SarifOptions } from './sarif.js';
export { LEVEL, MAX_TAGS, PRECISION, SECURITY_SEVERITY, buildRule, ruleTags } from './rules.js';
export { artifactUri } from './locations.js';
export type * from './sarif-types.js';

export default defineReporter<SarifOptions>({
  id: 'sarif',
  extension: '.sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning: one rule per check, one result per failed resource',
  render: (result, options) => renderSarif(result, options),
});
