import { createHash } from 'node:crypto';
import { signReasoning } from '../../signing.js';
import type { RenderContext, Script, ScriptBlock } from '../../types.js';
import type { Json } from '../common.js';
import { stepContent } from './signed-content.js';

// ---------------------------------------------------------------------------
// respond / stream

interface WirePart {
  text?: string;
  thought?: true;
  functionCall?: { name: string; args: Record<string, unknown> };
  thoughtSignature?: string;
}

/** A run of blocks that starts at a reasoning block (or at the start) and carries at most one signature. */
interface Segment {
  signature?: string;
  blocks: ScriptBlock[];
}

function segments(script: Script, context: RenderContext): Segment[] {
  const out: Segment[] = [];
  for (const block of script.blocks) {
    const current = out[out.length - 1];
    if (block.type === 'reasoning' || current === undefined) {
      out.push(block.type === 'reasoning' ? { signature: block.signature, blocks: [block] } : { blocks: [block] });
    } else {
      current.blocks.push(block);
    }
  }
  // Gemini 3 signs every function-calling step even when no thought text is
  // returned (recorded: google-tool-call-gemini3 has a signed call and no
  // thought part), and refuses the replay without it (wire-formats §4).
  const gemini3 = context.endpoint.name.toLowerCase().includes('gemini-3');
  for (const segment of out) {
    const signs = segment.signature !== undefined || (gemini3 && segment.blocks.some((block) => block.type === 'tool_call'));
    segment.signature = signs ? signReasoning('gemini', stepContent(segment.blocks)) : undefined;
  }
  return out;
}

function blockPart(block: ScriptBlock): WirePart {
  switch (block.type) {
    case 'reasoning':
      return { text: block.text, thought: true };
    case 'text':
      return { text: block.text };
    case 'tool_call':
      // Gemini calls carry no `id` (wire-formats §4): `block.callId` stays off the wire.
      return { functionCall: { name: block.name, args: block.arguments } };
  }
}

function finishReason(script: Script): 'STOP' | 'MAX_TOKENS' {
  // A tool-calling turn still ends with STOP (wire-formats §4).
  return script.stop === 'max_tokens' ? 'MAX_TOKENS' : 'STOP';
}

interface UsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount: number;
}

/** `promptTokenCount` includes cached tokens; total = prompt + candidates + thoughts (wire-formats §4). */
function usage(script: Script, candidates: number, thoughts: number): UsageMetadata {
  const { inputTokens, cachedInputTokens, reasoningTokens } = script.usage;
  const meta: UsageMetadata = { promptTokenCount: inputTokens, candidatesTokenCount: candidates, totalTokenCount: 0 };
  if (reasoningTokens > 0) meta.thoughtsTokenCount = thoughts;
  if (cachedInputTokens > 0) meta.cachedContentTokenCount = cachedInputTokens;
  meta.totalTokenCount = inputTokens + candidates + (reasoningTokens > 0 ? thoughts : 0);
  return meta;
}

function candidateTokens(script: Script): number {
  return Math.max(0, script.usage.outputTokens - script.usage.reasoningTokens);
}

function responseId(script: Script): string {
  const clean = script.id.replace(/[^A-Za-z0-9]/g, '');
  return clean.length > 0 ? clean : createHash('sha256').update(script.id).digest('base64url').slice(0, 24);
}

function envelope(script: Script, parts: WirePart[], meta: UsageMetadata, finish?: string): Json {
  const candidate: Json = { content: { role: 'model', parts } };
  if (finish !== undefined) candidate.finishReason = finish;
  candidate.index = 0;
  return { candidates: [candidate], usageMetadata: meta, modelVersion: script.endpoint, responseId: responseId(script) };
}

export function respond(script: Script, context: RenderContext): unknown {
  const parts: WirePart[] = [];
  for (const segment of segments(script, context)) {
    const start = parts.length;
    for (const block of segment.blocks) parts.push(blockPart(block));
    if (segment.signature === undefined) continue;
    // The signature goes on the first functionCall of the step, else on the
    // last text part (wire-formats §4); a step of thoughts only keeps it on
    // its last thought part.
    const own = parts.slice(start);
    const target =
      own.find((part) => part.functionCall !== undefined) ??
      own.findLast((part) => part.text !== undefined && part.thought !== true) ??
      own[own.length - 1];
    if (target) target.thoughtSignature = segment.signature;
  }
  const meta = usage(script, candidateTokens(script), script.usage.reasoningTokens);
  return envelope(script, parts, meta, finishReason(script));
}

/** Splits prose into pieces of two words each (whitespace kept). */
function textPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += 2) pieces.push(words.slice(i, i + 2).join(''));
  return pieces;
}

export function stream(script: Script, context: RenderContext): string[] {
  // Each chunk carries only its new parts; the chunks are built first, then
  // given running usage totals in proportion to the characters emitted.
  const chunks: { parts: WirePart[]; thoughtChars: number; candidateChars: number }[] = [];
  let hasCall = false;
  let trailing: WirePart | undefined;
  const segs = segments(script, context);
  segs.forEach((segment, s) => {
    const hasOwnCall = segment.blocks.some((block) => block.type === 'tool_call');
    let signed = false;
    for (const block of segment.blocks) {
      if (block.type === 'tool_call') {
        // A functionCall arrives whole in one chunk (wire-formats §4); the
        // first call of a step carries the step's signature.
        const part = blockPart(block);
        if (!signed && segment.signature !== undefined) {
          part.thoughtSignature = segment.signature;
          signed = true;
        }
        hasCall = true;
        chunks.push({ parts: [part], thoughtChars: 0, candidateChars: JSON.stringify(block.arguments).length });
        continue;
      }
      const thought = block.type === 'reasoning';
      for (const piece of textPieces(block.text)) {
        const part: WirePart = thought ? { text: piece, thought: true } : { text: piece };
        chunks.push({
          parts: [part],
          thoughtChars: thought ? piece.length : 0,
          candidateChars: thought ? 0 : piece.length,
        });
      }
    }
    if (!hasOwnCall && segment.signature !== undefined) {
      // Without a call, a streamed step's signature comes on an empty text
      // part after its text (recorded: google-text, google-reasoning-gemini3).
      const part: WirePart = { text: '', thoughtSignature: segment.signature };
      if (s === segs.length - 1) trailing = part;
      else chunks.push({ parts: [part], thoughtChars: 0, candidateChars: 0 });
    }
  });

  // The chunk with finishReason ends the stream. Recorded tool-calling turns
  // end with an extra chunk holding an empty text part (google-tool-call);
  // otherwise the last content chunk carries it.
  let finalParts: WirePart[] | undefined;
  if (trailing) finalParts = [trailing];
  else if (hasCall || chunks.length === 0) finalParts = [{ text: '' }];
  if (finalParts) chunks.push({ parts: finalParts, thoughtChars: 0, candidateChars: 0 });

  const totalThoughtChars = chunks.reduce((sum, chunk) => sum + chunk.thoughtChars, 0);
  const totalCandidateChars = chunks.reduce((sum, chunk) => sum + chunk.candidateChars, 0);
  const candidatesTotal = candidateTokens(script);
  const thoughtsTotal = script.usage.reasoningTokens;
  let thoughtChars = 0;
  let candidateChars = 0;
  return chunks.map((chunk, i) => {
    const last = i === chunks.length - 1;
    thoughtChars += chunk.thoughtChars;
    candidateChars += chunk.candidateChars;
    const thoughts =
      last || totalThoughtChars === 0 ? thoughtsTotal : Math.floor((thoughtsTotal * thoughtChars) / totalThoughtChars);
    const candidates =
      last || totalCandidateChars === 0
        ? last
          ? candidatesTotal
          : 0
        : Math.floor((candidatesTotal * candidateChars) / totalCandidateChars);
    const data = envelope(script, chunk.parts, usage(script, candidates, thoughts), last ? finishReason(script) : undefined);
    return `data: ${JSON.stringify(data)}\n\n`;
  });
}
