import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TEST_SECRETS } from './secrets.js';

/**
 * Finds credentials in log text. Three checks, since a leak may be a secret
 * we know or one we do not (an OAuth token the emulator minted at random):
 * - every known test secret, verbatim;
 * - every `dapi-…` / `sk-…` literal written in a test source, in case a test
 *   made up a key without registering it in secrets.ts;
 * - any `Bearer <value>` or credential-named JSON field whose value is not
 *   the logger's "[redacted]".
 */

export interface Leak {
  file: string;
  line: number;
  what: string;
}

const SECRET_LITERAL = /['"`]((?:dapi|sk)-[A-Za-z0-9_-]{4,})['"`]/g;
const BEARER = /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/i;
/** The field names the logger redacts (src/logging/redact.ts), lower-cased. */
const CREDENTIAL_FIELDS = new Set(['authorization', 'x-api-key', 'token', 'clientsecret', 'client_secret', 'access_token', 'apikeys']);
const REDACTED = '[redacted]';

/** The known secrets plus every key-like literal in the test sources under `testRoot`. */
export function secretsUsedInTests(testRoot: string): string[] {
  const found = new Set(TEST_SECRETS);
  for (const file of sourceFiles(testRoot)) {
    for (const match of readFileSync(file, 'utf8').matchAll(SECRET_LITERAL)) if (match[1]) found.add(match[1]);
  }
  return [...found];
}

/** Every leak in every file of `dir`. */
export function scanLogDir(dir: string, secrets: readonly string[]): Leak[] {
  return readdirSync(dir).flatMap((name) => findLeaks(readFileSync(join(dir, name), 'utf8'), secrets, name));
}

export function findLeaks(text: string, secrets: readonly string[], file = '(text)'): Leak[] {
  const leaks: Leak[] = [];
  text.split('\n').forEach((line, index) => {
    const at = { file, line: index + 1 };
    for (const secret of secrets) if (line.includes(secret)) leaks.push({ ...at, what: `the secret ${mask(secret)}` });
    if (BEARER.test(line)) leaks.push({ ...at, what: 'an unredacted Bearer credential' });
    for (const field of unredactedFields(line)) leaks.push({ ...at, what: `the unredacted field "${field}"` });
  });
  return leaks;
}

/** Enough of a secret to recognise it in a report, not enough to use it. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}

function unredactedFields(line: string): string[] {
  if (!line.startsWith('{')) return [];
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (CREDENTIAL_FIELDS.has(key.toLowerCase()) && child !== REDACTED && child !== undefined && child !== null) found.push(key);
        else walk(child);
      }
    }
  };
  walk(record);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

export function describeLeaks(leaks: readonly Leak[], dir: string, root: string): string {
  const lines = leaks.slice(0, 20).map((leak) => `  ${leak.file}:${leak.line}: ${leak.what}`);
  const more = leaks.length > 20 ? [`  … and ${leaks.length - 20} more`] : [];
  return [`Secrets found in test log lines (copies kept in ${relative(root, dir)}):`, ...lines, ...more].join('\n');
}
