import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * The `gemini-unsigned-calls` repair: a Gemini client that lost a call's
 * signature (pi's Google provider on a model it does not know as Gemini) still
 * gets its answer from Gemini 3; without the repair, the emulated Gemini 3
 * refuses the turn as Google's does.
 */
const GEMINI = 'databricks-gemini-3-pro';
const TURN = {
  contents: [
    { role: 'user', parts: [{ text: 'please read notes.txt' }] },
    { role: 'model', parts: [{ functionCall: { name: 'read_file', args: { path: 'notes.txt' } } }] },
    { role: 'user', parts: [{ functionResponse: { name: 'read_file', response: { output: 'NOTES-OK' } } }] },
  ],
  tools: [{ functionDeclarations: [{ name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }] }],
};

describe.each([
  ['on', [], 200],
  ['off', ['gemini-unsigned-calls'], 400],
])('a replayed call without its signature, repair %s', (_state, disable, status) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { repairs: { disable } } });
  });
  afterAll(() => stack.close());

  it(`answers ${status}`, async () => {
    const answer = await fetch(`${stack.proxy.url}/v1beta/models/${GEMINI}:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TURN) });
    const text = await answer.text();
    expect(answer.status, text).toBe(status);
    if (status === 200) expect(text).toContain('NOTES-OK');
    else expect(JSON.parse(text)).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('thought_signature') } });
  });
});
