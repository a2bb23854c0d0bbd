/**
 * The request words Chat Completions and Responses share (wire-formats.md §5.2):
 * the string forms of tool_choice, the reasoning effort names, and the
 * sampling fields both take under the same names.
 */
import type { IrEffort, IrRequest, IrTool, IrToolChoice } from '../../ir/request.js';
import { invalid } from './invalid.js';
import { isRecord, type JsonObject, numberOr, stringOr } from './json.js';

type SimpleChoice = Exclude<IrToolChoice, { type: 'tool' }>['type'];

/** The string forms of tool_choice, the same words in the IR and on the wire; a named tool is the only object form. */
export const SIMPLE_CHOICE: Record<SimpleChoice, 'auto' | 'none' | 'required'> = { auto: 'auto', none: 'none', required: 'required' };

const IR_SIMPLE_CHOICE: Record<string, IrToolChoice> = {
  auto: { type: 'auto' },
  none: { type: 'none' },
  required: { type: 'required' },
};

/** The IR form of a string tool_choice, or undefined when the string is not one OpenAI defines. */
export function irSimpleToolChoice(value: string): IrToolChoice | undefined {
  return Object.hasOwn(IR_SIMPLE_CHOICE, value) ? IR_SIMPLE_CHOICE[value] : undefined;
}

/** `reasoning_effort` / `reasoning.effort` → IR effort. `none` asks for no reasoning at all, so it maps to no setting. */
const IR_EFFORT: Record<string, IrEffort | null> = {
  none: null,
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

/** undefined: not a known effort; null: a known effort meaning "no reasoning". */
export function irEffortOf(value: string): IrEffort | null | undefined {
  return Object.hasOwn(IR_EFFORT, value) ? IR_EFFORT[value] : undefined;
}

/** A token limit field: absent, or a positive integer. */
export function positiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return invalid(`${param} must be a positive integer`, param);
  return value;
}

/**
 * A function tool's fields (`name`, `description`, `parameters`, `strict`), which Chat nests under
 * `function` and Responses keeps flat; `at` names where they stand, for the error's `param`.
 * A tool without parameters takes none: an empty object schema (Databricks refuses schemas without `type: object`).
 */
export function functionTool(fn: JsonObject, at: string): IrTool {
  if (typeof fn.name !== 'string' || fn.name === '') return invalid('a function tool needs a name', `${at}.name`);
  if (fn.parameters !== undefined && fn.parameters !== null && !isRecord(fn.parameters)) {
    return invalid('function parameters must be a JSON schema object', `${at}.parameters`);
  }
  const description = stringOr(fn.description);
  return {
    name: fn.name,
    ...(description !== undefined ? { description } : {}),
    parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
  };
}

/** The sampling fields both OpenAI dialects take under the same names; absent ones are left out. */
export function samplingSettings(body: JsonObject): Pick<IrRequest, 'parallelToolCalls' | 'temperature' | 'topP'> {
  const temperature = numberOr(body.temperature);
  const topP = numberOr(body.top_p);
  return {
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
  };
}
