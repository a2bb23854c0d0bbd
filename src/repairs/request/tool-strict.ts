/**
 * tool-strict
 *
 * Fixes:    chat endpoints of non-GPT families refuse `tools[].function.strict`
 *           (and a top-level `strict`); both are removed there. Nothing is
 *           lost that the model could have honoured: those endpoints have no
 *           strict tool-call mode.
 * Source:   databricks-ai-bridge `_strip_strict_from_tools`; databricks.md §5.2
 *           "strict"; clients.md §8.
 * Applies:  chat upstream, every surface, every family but GPT.
 * Emulator: always-on rule `chat-tool-strict-non-gpt` (openai-chat `parse`).
 */
import { FAMILIES } from '../../databricks/family.js';
import type { Repair } from '../types.js';
import { FUNCTION_TOOLS } from './function-tools.js';

const chatTools = FUNCTION_TOOLS['openai-chat'];

export const toolStrict: Repair = {
  id: 'tool-strict',
  summary: 'Non-GPT endpoints on chat refuse `tools[].function.strict`; it is removed.',
  source: 'databricks-ai-bridge _strip_strict_from_tools; databricks.md §5.2',
  quirk: 'chat-tool-strict-non-gpt',
  appliesTo: { upstream: ['openai-chat'], families: FAMILIES.filter((family) => family !== 'gpt') },
  request(body) {
    delete body.strict;
    if (!chatTools.list(body).some((declaration) => declaration.strict !== undefined)) return;
    chatTools.rewrite(body, ({ strict: _strict, ...declaration }) => declaration);
  },
  probe: {
    provoke(body) {
      body.tools = [{ type: 'function', function: { name: 'probe_tool', strict: false, parameters: { type: 'object', properties: {} } } }];
      return true;
    },
  },
};
