import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of this run's log copies, made by log-scan-setup.ts. */
    logScanDir: string;
  }
}

/**
 * Copies log lines (a LogCapture's, or the stderr of a process a test ran) to
 * this vitest run's log folder, one file per worker process, so the scan at
 * the end of the run sees every line of every test file. Synchronous, so a
 * worker that exits right after its last test loses nothing.
 */
export function recordLogText(text: string): void {
  if (text === '') return;
  const dir = inject('logScanDir');
  if (!dir) return;
  appendFileSync(join(dir, `${process.pid}.log`), text.endsWith('\n') ? text : `${text}\n`);
}
