/**
 * A reasoning item's summary is a list of parts; the IR holds one text. Every
 * reader joins the parts the same way (stream and non-stream, client and
 * upstream), so a streamed answer and a whole one decode to the same text.
 */
import { isRecord, stringOr } from '../common/json.js';

export const SUMMARY_JOIN = '\n\n';

export function summaryText(summary: unknown): string {
  if (!Array.isArray(summary)) return '';
  return summary
    .filter(isRecord)
    .map((part) => stringOr(part.text) ?? '')
    .filter((text) => text !== '')
    .join(SUMMARY_JOIN);
}
