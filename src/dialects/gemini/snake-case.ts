/**
 * Google's JSON API takes every field in snake_case as well as camelCase
 * (`system_instruction`, `inline_data`, `function_call`; wire-formats.md §4,
 * and Google's own curl examples use it). The proxy reads camelCase only, so a
 * body's field names are made camelCase first. The client's own data keeps
 * its keys: call arguments, results and schemas are not renamed inside. A
 * body without a snake_case name comes back as the same object, not copied.
 */
import { isRecord } from '../common/json.js';

/** Fields whose values belong to the client, whatever their key names. */
const CLIENT_DATA = new Set(['args', 'response', 'parameters', 'parametersJsonSchema', 'responseSchema', 'responseJsonSchema', 'partialArgs']);

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

export function camelCaseFields(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const renamed = camelCaseFields(item);
      changed ||= renamed !== item;
      return renamed;
    });
    return changed ? items : value;
  }
  if (!isRecord(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, child]): [string, unknown] => {
    const name = key.includes('_') ? camel(key) : key;
    const renamed = CLIENT_DATA.has(name) ? child : camelCaseFields(child);
    changed ||= name !== key || renamed !== child;
    return [name, renamed];
  });
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  // defineProperty: a `__proto__` key stays an own field, never the object's prototype.
  for (const [name, child] of entries) Object.defineProperty(out, name, { value: child, enumerable: true, writable: true, configurable: true });
  return out;
}
