/** One line of `dbx-proxy doctor`: what was checked, how it went, what was seen, and what to do when it failed. */
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** `info` reports without judging (the config in effect, agents not installed); only `FAIL` makes doctor exit non-zero. */
export type CheckStatus = 'ok' | 'FAIL' | 'warn' | 'info';

/** A message that carries its own "Fix: ..." sentence, split into a check's detail and fix. */
export function failure(name: string, message: string): Check {
  const at = message.indexOf(' Fix: ');
  return at === -1 ? { name, status: 'FAIL', detail: message } : { name, status: 'FAIL', detail: message.slice(0, at), fix: message.slice(at + ' Fix: '.length) };
}
