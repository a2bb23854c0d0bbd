import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { activeRepairs, createStreamRepairer } from '../../src/repairs/pipeline.js';
import { markEdited, type Repair, type RepairContext, type WireEvent } from '../../src/repairs/types.js';
import type { SseFrame } from '../../src/sse/parse-frame.js';

const context = {} as RepairContext;
const repair = (id: string, extra: Partial<Repair>): Repair => ({
  id,
  summary: id,
  source: 'test',
  quirk: id,
  appliesTo: { upstream: ['openai-chat'] },
  ...extra,
});

describe('activeRepairs', () => {
  const registry = [
    repair('everywhere', {}),
    repair('serving-only', { appliesTo: { upstream: ['openai-chat'], surfaces: ['model-serving'] } }),
    repair('gpt-only', { appliesTo: { upstream: ['openai-chat'], families: ['gpt'] } }),
    repair('responses-only', { appliesTo: { upstream: ['openai-responses'] } }),
  ];
  const route = { upstream: 'openai-chat', surface: 'model-serving', family: 'llama' } as const;

  it('selects by upstream dialect, surface and family', () => {
    expect(activeRepairs(route, ConfigSchema.parse({}), registry).map((r) => r.id)).toEqual(['everywhere', 'serving-only']);
  });

  it('drops disabled ids, and everything when bare', () => {
    expect(activeRepairs(route, ConfigSchema.parse({ repairs: { disable: ['everywhere'] } }), registry).map((r) => r.id)).toEqual(['serving-only']);
    expect(activeRepairs(route, ConfigSchema.parse({ repairs: { bare: true } }), registry)).toEqual([]);
  });
});

/** What goes on the wire: the frames' event and data (they also carry their parsed data, for a decoder). */
const wire = (frames: readonly SseFrame[] | undefined) => frames?.map(({ event, data }) => ({ event, data }));

describe('StreamRepairer', () => {
  it('is absent when no active repair touches streams', () => {
    expect(createStreamRepairer([repair('request-only', { request: () => undefined })], context)).toBeUndefined();
  });

  it('chains stages in order, and leftovers of a stage at the end still pass the later stages', () => {
    const held: WireEvent[] = [];
    const holdBack = repair('hold', {
      stream: () => ({
        event: (event) => (event.json?.hold ? (held.push(event), []) : [event]),
        end: () => held.splice(0),
      }),
    });
    const stamp = repair('stamp', {
      stream: () => ({
        event: (event) => {
          if (event.json) markEdited(event).json!.stamped = true;
          return [event];
        },
        end: () => [{ event: undefined, data: '[DONE]', json: undefined }],
      }),
    });
    const repairer = createStreamRepairer([holdBack, stamp], context);
    expect(wire(repairer?.frame({ event: undefined, data: '{"n":1}' }))).toEqual([{ event: undefined, data: '{"n":1,"stamped":true}' }]);
    expect(wire(repairer?.frame({ event: undefined, data: '{"n":2,"hold":true}' }))).toEqual([]);
    expect(wire(repairer?.end())).toEqual([
      { event: undefined, data: '{"n":2,"hold":true,"stamped":true}' },
      { event: undefined, data: '[DONE]' },
    ]);
  });

  it("relays an event no stage edited as the upstream's own text, and serialises an edited one again", () => {
    const renumber = repair('renumber', {
      stream: () => ({
        event: (event) => {
          if (event.json && event.json.n === 2) {
            event.json.n = 20;
            markEdited(event);
          }
          return [event];
        },
        end: () => [],
      }),
    });
    const repairer = createStreamRepairer([renumber], context);
    // Spacing and escapes the proxy would not write itself: kept, since nothing changed this event.
    expect(wire(repairer?.frame({ event: 'e', data: '{ "n": 1, "s": "caf\\u00e9" }' }))).toEqual([{ event: 'e', data: '{ "n": 1, "s": "caf\\u00e9" }' }]);
    expect(wire(repairer?.frame({ event: 'e', data: '{ "n": 2 }' }))).toEqual([{ event: 'e', data: '{"n":20}' }]);
  });
});
