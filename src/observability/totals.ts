import type { RequestRecord, TokenCounts } from './request-record.js';
import { TOKEN_KINDS } from './request-record.js';

export interface ModelTotals {
  requests: number;
  errors: number;
  tokens: TokenCounts;
  ms: number;
}

/** Inference requests since the proxy started, for the status page's figures (memory only). */
export class Totals {
  readonly started = Date.now();
  requests = 0;
  errors = 0;
  readonly tokens: TokenCounts = emptyTokens();
  readonly models = new Map<string, ModelTotals>();
  readonly repairs = new Map<string, number>();

  read(record: RequestRecord): void {
    const model = record.summary.endpoint ?? '(none)';
    let totals = this.models.get(model);
    if (!totals) this.models.set(model, (totals = { requests: 0, errors: 0, tokens: emptyTokens(), ms: 0 }));
    const failed = record.outcome !== 'ok' && record.outcome !== 'client_gone';
    this.requests += 1;
    totals.requests += 1;
    totals.ms += record.ms;
    if (failed) {
      this.errors += 1;
      totals.errors += 1;
    }
    for (const kind of TOKEN_KINDS) {
      const count = record.tokens?.[kind] ?? 0;
      this.tokens[kind] += count;
      totals.tokens[kind] += count;
    }
    for (const repair of record.summary.repairs ?? []) this.repairs.set(repair, (this.repairs.get(repair) ?? 0) + 1);
  }
}

export function emptyTokens(): TokenCounts {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
}
