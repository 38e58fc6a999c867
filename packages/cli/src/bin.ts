#!/usr/bin/env node
import module from 'node:module';

// V8's code cache for every module this process loads (Node ≥ 22.1): the AWS SDK is most of a scan's
// start-up time, and compiling it again on every run is waste. A no-op where unsupported.
module.enableCompileCache?.();

// The SDK's notice about the Node versions it will support is not something a scan's user can act
// on (engines already says which Node Trailwarden needs), so keep it out of every run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Process warnings: the SDK's (deprecation notices, several lines each) and Node's experimental-feature
// notices are not the user's to act on; any other warning is kept, on one line.
process.removeAllListeners('warning');
const warned = new Set<string>();
process.on('warning', (w: Error) => {
  const text = `${w.name}: ${w.message}`;
  if (w.name === 'ExperimentalWarning' || /AWS SDK|@aws-sdk|@smithy/.test(`${text}\n${w.stack ?? ''}`)) return;
  const line = text.split('\n')[0] ?? text;
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`trailwarden: warning: ${line}\n`);
});

// `trailwarden checks | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// Imported after the cache is on, so that the CLI's own modules are cached too.
const { processIO } = await import('./io.js');
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2), processIO());
