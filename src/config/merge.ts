/**
 * Deep merge of configuration layers that remembers, for every value, which
 * layer supplied it, so a validation error can say "(from DBX_PROXY_PORT)" or
 * "(in ./dbx-proxy.yaml)". Objects merge key by key; arrays and scalars are
 * replaced whole. `undefined` and `null` mean "not set by this layer": a YAML
 * key with no value (`databricks:` whose children are all commented out) keeps
 * its default instead of failing as "expected object, received null".
 */
export type PlainObject = Record<string, unknown>;

export interface Layer {
  /** How an error names this layer: `in ./dbx-proxy.yaml`, `from DBX_PROXY_PORT`, ... */
  label: string;
  input: PlainObject;
}

export interface Merged {
  value: PlainObject;
  /** The label of the layer that supplied the value at `path` (or its nearest set ancestor). */
  origin(path: readonly PropertyKey[]): string | undefined;
}

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A map key for a path; numbers and strings of the same text are the same key. */
export function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String));
}

/** Sets `value` at `path`, creating the objects on the way. */
export function setIn(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      assign(node, key, value);
      return;
    }
    const next = own(node, key);
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: PlainObject = {};
      assign(node, key, created);
      node = created;
    }
  });
}

export function mergeLayers(layers: readonly Layer[]): Merged {
  const value: PlainObject = {};
  const origins = new Map<string, string>();
  for (const layer of layers) mergeInto(value, layer.input, [], layer.label, origins);
  return {
    value,
    origin(path) {
      for (let end = path.length; end >= 0; end--) {
        const found = origins.get(pathKey(path.slice(0, end)));
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}

function mergeInto(target: PlainObject, source: PlainObject, path: string[], label: string, origins: Map<string, string>): void {
  for (const [key, incoming] of Object.entries(source)) {
    if (incoming === undefined || incoming === null) continue;
    const here = [...path, key];
    if (isPlainObject(incoming)) {
      let node = own(target, key);
      if (!isPlainObject(node)) {
        node = {};
        assign(target, key, node);
        origins.set(pathKey(here), label);
      }
      mergeInto(node as PlainObject, incoming, here, label, origins);
    } else {
      assign(target, key, incoming);
      origins.set(pathKey(here), label);
    }
  }
}

/**
 * Own properties only, on read and on write: a key named `__proto__` stays a
 * plain key (reported as unknown) and never reaches Object.prototype.
 */
function own(target: PlainObject, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

function assign(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
