import { defineReporter } from '@trailwarden/core';
import { type JunitOptions, renderJunit } from './junit.js';

export { renderJunit, type JunitOptions } from './junit.js';
export { escapeAttr, escapeText, stripIllegalXmlChars } from './xml.js';

export default defineReporter<JunitOptions>({
  id: 'junit',
  extension: '.junit.xml',
  description: 'JUnit XML for CI test views: one test suite per check, one test case per resource',
  options: {
    schema: {
      type: 'object',
      properties: {
        includePassed: { type: 'boolean', description: 'Write PASS findings as passing test cases (default true).' },
        includeCoverage: { type: 'boolean', description: 'Add a trailwarden.coverage suite with one error per collection error (default true).' },
      },
      additionalProperties: false,
    },
  },
  render: (result, options) => renderJunit(result, options),
});
