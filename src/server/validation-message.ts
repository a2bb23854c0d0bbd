/** One ajv error, as Fastify hands it over in `error.validation`. */
export interface SchemaViolation {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Keywords that only say "a branch failed"; the branch's own error says what is wrong. */
const COMBINATOR_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else', 'not']);

/**
 * The one schema violation worth showing a client, as a message and the
 * offending field in dotted form (`messages.0.content.0.text`, the form
 * Anthropic's own errors use; OpenAI's `param` takes it too). ajv reports a
 * failed `anyOf` as every branch's error plus the `anyOf` itself; the deepest
 * concrete error is the one that names what to fix.
 */
export function describeViolation(violations: readonly SchemaViolation[]): { message: string; param: string | undefined } {
  const concrete = violations.filter((violation) => !COMBINATOR_KEYWORDS.has(violation.keyword ?? ''));
  const chosen = (concrete.length > 0 ? concrete : violations).reduce<SchemaViolation | undefined>(
    (best, violation) => (best === undefined || depth(violation) > depth(best) ? violation : best),
    undefined,
  );
  if (!chosen) return { message: 'body does not match the API schema', param: undefined };
  const missing = chosen.keyword === 'required' ? chosen.params?.missingProperty : undefined;
  const segments = [...pathOf(chosen), ...(typeof missing === 'string' ? [missing] : [])];
  const param = segments.length > 0 ? segments.join('.') : undefined;
  const allowed = chosen.keyword === 'enum' && Array.isArray(chosen.params?.allowedValues) ? `: ${chosen.params.allowedValues.join(', ')}` : '';
  const where = pathOf(chosen).length > 0 ? pathOf(chosen).join('.') : 'the body';
  const alternatives = missingAlternatives(violations, chosen);
  if (alternatives) return { message: `${where} must have one of the fields ${alternatives.join(', ')}`, param: pathOf(chosen).join('.') || undefined };
  return { message: `${where} ${chosen.message ?? 'is invalid'}${allowed}`, param };
}

/** An `anyOf` of `required` branches (a Gemini part needs one data field): every field it would take, not just the first branch's. */
function missingAlternatives(violations: readonly SchemaViolation[], chosen: SchemaViolation): string[] | undefined {
  if (chosen.keyword !== 'required') return undefined;
  const missing = violations
    .filter((violation) => violation.keyword === 'required' && violation.instancePath === chosen.instancePath)
    .map((violation) => violation.params?.missingProperty)
    .filter((name): name is string => typeof name === 'string');
  return missing.length > 1 ? missing : undefined;
}

function pathOf(violation: SchemaViolation): string[] {
  return (violation.instancePath ?? '').split('/').filter(Boolean).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function depth(violation: SchemaViolation): number {
  return pathOf(violation).length;
}
