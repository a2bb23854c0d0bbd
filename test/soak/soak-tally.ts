import type { TranscriptEntry } from '../../src/emulator/index.js';
import type { Outcome } from './soak-client.js';

/** Upstream answers that come before any byte could reach the client: the only ones a retry may follow. */
const BEFORE_FIRST_BYTE = new Set([429, 503, 0]);

const MARKER = /soak-(\d+)-end/;

/** What the soak saw, counted: client outcomes, injected faults, upstream attempts, and rule violations. */
export class SoakTally {
  readonly outcomes = new Map<string, number>();
  readonly bins = { ok: 0, failed: 0, malformed: 0, hung: 0 };
  readonly faults = new Map<string, number>();
  readonly malformedSamples: string[] = [];
  upstreamAttempts = 0;
  retriedRequests = 0;
  /** Requests sent upstream again after an attempt that had answered 200 (a byte may have reached the client). */
  retriesAfterFirstByte = 0;
  /** Requests sent upstream more often than upstream.maxAttempts allows. */
  overAttempted = 0;

  constructor(private readonly maxAttempts: number) {}

  count(outcome: Outcome): void {
    this.bins[outcome.bin] += 1;
    const label = outcome.bin === 'ok' || outcome.bin === 'hung' ? outcome.bin : `${outcome.bin}: ${outcome.label}`;
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    if (outcome.bin === 'malformed' && this.malformedSamples.length < 5) this.malformedSamples.push(outcome.label);
  }

  /** Reads one batch of the emulator's transcript: every attempt but a request's last must have failed before its headers. */
  readTranscript(entries: readonly TranscriptEntry[]): void {
    const attempts = new Map<string, TranscriptEntry[]>();
    for (const entry of entries) {
      const marker = MARKER.exec(JSON.stringify(entry.body ?? ''))?.[1];
      if (entry.method !== 'POST' || marker === undefined) continue;
      this.upstreamAttempts += 1;
      if (entry.fault) this.faults.set(entry.fault, (this.faults.get(entry.fault) ?? 0) + 1);
      attempts.set(marker, [...(attempts.get(marker) ?? []), entry]);
    }
    for (const tries of attempts.values()) {
      if (tries.length > 1) this.retriedRequests += 1;
      if (tries.length > this.maxAttempts) this.overAttempted += 1;
      if (tries.slice(0, -1).some((entry) => !BEFORE_FIRST_BYTE.has(entry.status))) this.retriesAfterFirstByte += 1;
    }
  }

  report(requests: number, seconds: number, rss: { warm: number; end: number }): string {
    const injected = [...this.faults.values()].reduce((sum, count) => sum + count, 0);
    const lines = [
      `soak: ${requests} requests in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)}/s)`,
      `  outcomes: ${JSON.stringify(this.bins)}`,
      ...[...this.outcomes].sort((a, b) => b[1] - a[1]).map(([label, count]) => `    ${String(count).padStart(6)}  ${label}`),
      `  upstream attempts: ${this.upstreamAttempts}; faults injected: ${injected} (${((100 * injected) / this.upstreamAttempts).toFixed(1)}% of attempts)`,
      ...[...this.faults].sort().map(([fault, count]) => `    ${String(count).padStart(6)}  ${fault}`),
      `  requests retried: ${this.retriedRequests}; retried after a first byte: ${this.retriesAfterFirstByte}; over maxAttempts: ${this.overAttempted}`,
      `  rss after warm-up ${mb(rss.warm)} MB, at the end ${mb(rss.end)} MB (${rss.end >= rss.warm ? '+' : ''}${mb(rss.end - rss.warm)} MB)`,
    ];
    if (this.malformedSamples.length > 0) lines.push(`  malformed samples: ${this.malformedSamples.join(' | ')}`);
    return lines.join('\n');
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
