/**
 * A configuration problem the user has to fix: a bad file, variable or flag.
 * The message is one line that names the field (or variable) and where the
 * value came from; the CLI prints it as `dbx-proxy: <message>` and exits 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(message: string) {
    super(message);
  }
}

/** `['server', 'apiKeys', 0]` -> `server.apiKeys[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}
