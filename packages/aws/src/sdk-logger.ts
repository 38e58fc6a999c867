import type { Logger } from '@smithy/types';

/**
 * The logger handed to the SDK's credential chain. Its own default is `console`, whose multi-line
 * warnings ("Multiple credential sources detected: …") land in the user's terminal and CI logs in
 * the middle of a scan. Here a warning is one line on stderr, said once; debug and info are dropped.
 */
export function oneLineSdkLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const said = new Set<string>();
  const warn = (...parts: unknown[]) => {
    const text = parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ');
    const first = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
    const line = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 300);
    if (!line || said.has(line)) return;
    said.add(line);
    write(`trailwarden: AWS SDK: ${line}\n`);
  };
  return { trace() {}, debug() {}, info() {}, warn, error: warn };
}
