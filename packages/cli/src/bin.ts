#!/usr/bin/env node
import { processIO } from './io.js';
import { main } from './main.js';

// Trailwarden supports Node 20; the SDK's notice about its own future Node 22 requirement is not
// something a scan's user can act on, so keep it out of every run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `trailwarden checks | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2), processIO());
