import { ConfigError, formatPath } from './errors.js';

/**
 * `${VAR}` in every string value of the config file (keys are left alone).
 * `$${` is a literal `${`. A variable that is not set is an error naming the
 * field and the variable; there is no silent empty default, because an empty
 * token or host only fails later and further from its cause.
 */
const TOKEN = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(value: unknown, env: NodeJS.ProcessEnv, where: string, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') return interpolateString(value, env, where, path);
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, where, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: interpolate(item, env, where, [...path, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, where: string, path: PropertyKey[]): string {
  const fail = (problem: string): never => {
    throw new ConfigError(`config: ${formatPath(path)}: ${problem} (${where})`);
  };
  return text.replace(TOKEN, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) return fail('unterminated "${" (write "$${" for a literal "${")');
    if (!NAME.test(name)) return fail(`invalid variable name "${name}" in "\${${name}}"`);
    const found = env[name];
    if (found === undefined) return fail(`environment variable ${name} is not set`);
    return found;
  });
}
