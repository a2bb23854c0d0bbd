import type { RequestRecord } from './request-record.js';

/** How many of the last requests the status page shows. */
const KEPT = 50;

/** The last inference requests, newest first, for the status page (memory only). */
export class RecentRequests {
  private readonly records: RequestRecord[] = [];
  private readonly errors: RequestRecord[] = [];

  read(record: RequestRecord): void {
    keep(this.records, record);
    if (record.outcome !== 'ok' && record.outcome !== 'client_gone') keep(this.errors, record);
  }

  last(): readonly RequestRecord[] {
    return this.records;
  }

  lastErrors(): readonly RequestRecord[] {
    return this.errors;
  }
}

function keep(list: RequestRecord[], record: RequestRecord): void {
  list.unshift(record);
  if (list.length > KEPT) list.pop();
}
