import { defineReporter } from '@trailwarden/core';
import { type JunitOptions, renderJunit } from './junit.js';

export { renderJunit, type JunitOptions } from './junit.js';
export { escapeAttr, escapeText, stripIllegalXmlChars } from './xml.js';

export default defineReporter<JunitOptions>({
  id: 'junit',
  extension: '.junit.xml',
  description: 'JUnit XML for CI test views: one test suite per check, one test case per resource',
  render: (result, options) => renderJunit(result, options),
});
