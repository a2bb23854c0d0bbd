import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { Repair, RepairContext } from '../../src/repairs/types.js';
import { chatChunksRepair } from '../../src/repairs/stream/chat-chunks.js';
import { longIdsRepair } from '../../src/repairs/stream/long-ids.js';
import { responsesTerminalRepair } from '../../src/repairs/stream/responses-terminal.js';

/**
 * `responseMayChange` lets a passthrough answer skip parsing: it may say yes
 * when the repair then changes nothing, never no when it would change
 * something. Checked on answers that need the repair and on answers that do not.
 */
const context: RepairContext = {
  inbound: 'openai-chat',
  upstream: 'openai-chat',
  surface: 'ai-gateway',
  family: 'llama',
  endpoint: 'e',
  config: ConfigSchema.parse({}),
  note: () => undefined,
  warn: () => undefined,
};

const LONG = `msg_${'a'.repeat(188)}`;
const CASES: { repair: Repair; inbound: RepairContext['inbound']; needs: object[]; fine: object[] }[] = [
  {
    repair: chatChunksRepair,
    inbound: 'openai-chat',
    needs: [{ choices: [{ index: 0, message: { role: 'assistant', content: [{ type: 'text', text: 'hi' }] } }] }],
    fine: [{ choices: [{ index: 0, message: { role: 'assistant', content: 'a "content": [ inside text' } }] }],
  },
  {
    repair: longIdsRepair,
    inbound: 'openai-responses',
    needs: [{ id: LONG, output: [] }, { id: 'resp_1', output: [{ type: 'message', id: LONG, content: [] }] }],
    fine: [{ id: 'resp_1', output: [{ type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'x'.repeat(300) }] }] }],
  },
  {
    repair: responsesTerminalRepair,
    inbound: 'openai-responses',
    needs: [{ id: 'r', usage: { input_tokens: 3, output_tokens: 4 } }],
    fine: [
      { id: 'r', usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } },
      { id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: 'say "total_tokens" twice' }] }], usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } },
    ],
  },
];

describe.each(CASES)('$repair.id: responseMayChange', ({ repair, inbound, needs, fine }) => {
  const run = (answer: object) => repair.response?.(structuredClone(answer) as Record<string, unknown>, { ...context, inbound }) ?? false;

  it('says yes for every answer the repair changes', () => {
    for (const answer of needs) {
      expect(run(answer)).toBe(true);
      expect(repair.responseMayChange?.(JSON.stringify(answer))).toBe(true);
    }
  });

  it('never says no where the repair would change something', () => {
    for (const answer of [...needs, ...fine]) {
      if (repair.responseMayChange?.(JSON.stringify(answer)) === false) expect(run(answer)).toBe(false);
    }
  });

  it('says no for an ordinary answer, which then goes out unparsed', () => {
    expect(fine.some((answer) => repair.responseMayChange?.(JSON.stringify(answer)) === false)).toBe(true);
  });
});
