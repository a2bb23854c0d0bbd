/**
 * A function call whose arguments stream in pieces (Vertex's
 * `streamFunctionCallArguments`, recorded `google-stream-tool-call-arguments`):
 * a part with the name and `willContinue: true`, then parts with `partialArgs`
 * (`{jsonPath, stringValue | numberValue | boolValue | nullValue,
 * willContinue}`), then a part without `willContinue` ends the call. The
 * proxy does not ask for this mode; it is read in case a layer turns it on.
 * The arguments are assembled into one object, and the call goes out whole.
 */
import { isRecord, type JsonObject } from '../common/json.js';

/** One segment of a JSON path: `.name`, `['name']`, `["name"]` or `[0]`. */
const SEGMENT = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;

export class PartialCall {
  readonly args: JsonObject = {};

  constructor(
    readonly name: string,
    readonly id: string | undefined,
    readonly signature: string | undefined,
  ) {}

  /** Applies the `partialArgs` of one part. */
  apply(partialArgs: unknown): void {
    if (!Array.isArray(partialArgs)) return;
    for (const arg of partialArgs.filter(isRecord)) {
      const path = typeof arg.jsonPath === 'string' ? parsePath(arg.jsonPath) : undefined;
      // `__proto__` would reach the object's prototype instead of making a key.
      if (path && path.length > 0 && !path.includes('__proto__')) this.set(path, arg);
    }
  }

  private set(path: (string | number)[], arg: JsonObject): void {
    let node: Record<string | number, unknown> = this.args;
    path.slice(0, -1).forEach((key, i) => {
      const child = node[key];
      if (typeof child !== 'object' || child === null) node[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
    const last = path.at(-1) as string | number;
    // A string arrives in pieces under one path: the pieces are concatenated.
    if (typeof arg.stringValue === 'string') node[last] = (typeof node[last] === 'string' ? node[last] : '') + arg.stringValue;
    else if (typeof arg.numberValue === 'number') node[last] = arg.numberValue;
    else if (typeof arg.boolValue === 'boolean') node[last] = arg.boolValue;
    else if (arg.nullValue !== undefined) node[last] = null;
  }
}

/** `$.a.b[0]['c d']` → ['a', 'b', 0, 'c d']; undefined when the path is not one of these simple forms. */
function parsePath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 1;
  while (SEGMENT.lastIndex < path.length) {
    const match = SEGMENT.exec(path);
    if (!match) return undefined;
    const [, dotted, index, single, double] = match;
    if (index !== undefined) segments.push(Number(index));
    else segments.push((dotted ?? single ?? double ?? '').replace(/\\(.)/g, '$1'));
  }
  return segments;
}
