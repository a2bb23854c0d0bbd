/**
 * gemini-unsigned-calls
 *
 * Fixes:    Gemini 3 refuses a step whose first function call carries no
 *           `thoughtSignature` ("Function call is missing a thought_signature
 *           in functionCall parts"). Clients lose it: pi's Google provider
 *           keeps signatures only for models it knows as Gemini, and history
 *           from another model (or one written by hand) never had one. The
 *           first call of each model turn that lacks one gets the placeholder
 *           Google documents for calls it did not sign; a real signature is
 *           never touched.
 * Source:   ai.google.dev thought-signatures; wire-formats.md §4 "Thought
 *           signatures".
 * Applies:  the Gemini upstream, every surface, the Gemini family (the
 *           translated path writes the placeholder itself, contents-encode.ts).
 * Emulator: always-on rule `gemini-call-signature` (gemini `parse`).
 */
import { isRecord } from '../../dialects/common/json.js';
import { signedFirstCall } from '../../dialects/gemini/contents-encode.js';
import type { Part } from '../../dialects/gemini/wire.js';
import type { Repair } from '../types.js';

export const geminiUnsignedCalls: Repair = {
  id: 'gemini-unsigned-calls',
  summary: 'Gemini 3 refuses a step whose first call has no thought signature; it gets Google\'s placeholder.',
  source: 'ai.google.dev thought-signatures; wire-formats.md §4',
  quirk: 'gemini-call-signature',
  appliesTo: { upstream: ['gemini'], families: ['gemini'] },
  request(body) {
    if (!Array.isArray(body.contents)) return;
    body.contents = body.contents.map((content: unknown) => {
      if (!isRecord(content) || content.role !== 'model' || !Array.isArray(content.parts)) return content;
      const parts = signedFirstCall(content.parts as Part[]);
      return parts === content.parts ? content : { ...content, parts };
    });
  },
  probe: {
    provoke(body, route) {
      if (route.upstream !== 'gemini') return false;
      body.tools = [{ functionDeclarations: [{ name: 'probe_tool', parameters: { type: 'object', properties: {} } }] }];
      body.contents = [
        { role: 'user', parts: [{ text: 'Call probe_tool.' }] },
        { role: 'model', parts: [{ functionCall: { name: 'probe_tool', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'probe_tool', response: { output: 'OK' } } }] },
      ];
      return true;
    },
  },
};
