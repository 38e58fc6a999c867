// Runs many CLI invocations in one process through the built CLI's `main` (bin.js minus process
// wiring), so a seeded fuzz run costs seconds, not a process start per case. Reads a JSON list of
// { cwd, argv } from argv[2], writes a JSON list of { code, stdout, stderr } to stdout.
import { readFileSync } from 'node:fs';
import { main } from '../../packages/cli/dist/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const c of cases) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s) => { stdout += s; } },
    stderr: { write: (s) => { stderr += s; }, isTTY: false },
    cwd: c.cwd,
    env: { ...process.env, NO_COLOR: '1' },
  };
  let code;
  try {
    code = await main(c.argv, io);
  } catch (e) {
    // main() must never throw: record it as a crash for the test to report.
    code = 'threw';
    stderr += `THREW ${e?.stack ?? e}`;
  }
  results.push({ code, stdout, stderr });
}
process.stdout.write(JSON.stringify(results));
