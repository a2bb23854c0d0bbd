import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ID_LENGTH, shortenId } from '../../../src/repairs/stream/id-shortener.js';

/** Long ids shaped like Databricks': a type prefix, a stem shared across one response, a short distinct tail. */
const prefix = fc.constantFrom('resp_', 'msg_', 'fc_', 'rs_', 'call_', '');
const stem = fc.stringMatching(/^[0-9a-f]{60,200}$/);
const tail = fc.stringMatching(/^[0-9a-f]{1,12}$/);

describe('shortenId', () => {
  it('keeps ids that fit, unchanged', () => {
    fc.assert(fc.property(fc.string({ maxLength: MAX_ID_LENGTH }), (id) => {
        expect(shortenId(id)).toBe(id);
      }),
    );
  });

  it('is deterministic, at most 64 characters, and keeps the type prefix', () => {
    fc.assert(
      fc.property(prefix, stem, (type, body) => {
        const id = `${type}${body}`;
        fc.pre(id.length > MAX_ID_LENGTH);
        const short = shortenId(id);
        expect(short.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
        expect(shortenId(id)).toBe(short);
        expect(short.startsWith(type)).toBe(true);
      }),
    );
  });

  it('gives distinct ids to long ids that share their stem (where cutting to 64 collides)', () => {
    fc.assert(
      fc.property(prefix, stem, tail, tail, (type, body, a, b) => {
        fc.pre(a !== b);
        const first = `${type}${body}${a}`;
        const second = `${type}${body}${b}`;
        fc.pre(first.length > MAX_ID_LENGTH && second.length > MAX_ID_LENGTH);
        expect(shortenId(first)).not.toBe(shortenId(second));
      }),
    );
  });

  it('is idempotent: a shortened id sent back stays the same', () => {
    fc.assert(fc.property(fc.string({ minLength: MAX_ID_LENGTH + 1, maxLength: 400 }), (id) => {
        expect(shortenId(shortenId(id))).toBe(shortenId(id));
      }),
    );
  });

  it('shortens the documented ids', () => {
    const stemOf = '01c6579b'.padEnd(188, '7');
    const response = shortenId(`resp_${stemOf}`);
    const message = shortenId(`msg_${stemOf}`);
    expect(`resp_${stemOf}`).toHaveLength(193);
    expect(response).toMatch(/^resp_[0-9a-f]{40}$/);
    expect(message).toMatch(/^msg_[0-9a-f]{40}$/);
    expect(response.slice(5)).not.toBe(message.slice(4));
  });
});
