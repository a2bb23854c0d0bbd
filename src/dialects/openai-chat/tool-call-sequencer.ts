/**
 * Turns Chat tool call fragments, keyed by their upstream `index`, into IR
 * tool_call blocks that never interleave.
 *
 * Upstreams normally send parallel calls one after the other, but fragments
 * of different calls may interleave. One call streams live (the active one);
 * a call that shows up while the active call's arguments are not yet a
 * complete JSON document waits, buffered, and starts as soon as they are (or
 * when the turn's calls are flushed). A fragment for a call already closed
 * (more arguments after its JSON was complete and another call had started,
 * or after text interrupted the calls) cannot be placed and is dropped.
 */
import type { IrToolCallPart } from '../../ir/request.js';
import type { IrBlocks } from '../common/ir-blocks.js';
import { isCompleteJson } from '../common/json.js';

export interface ToolCallFragment {
  id?: string;
  name?: string;
  arguments?: string;
  signature?: IrToolCallPart['signature'];
}

interface UpstreamCall {
  id?: string;
  name?: string;
  signature?: IrToolCallPart['signature'];
  args: string;
  phase: 'waiting' | 'open' | 'closed';
}

export class ToolCallSequencer {
  private readonly calls = new Map<number, UpstreamCall>();
  private waiting: UpstreamCall[] = [];
  private active: UpstreamCall | undefined;

  constructor(
    private readonly blocks: IrBlocks,
    private readonly mintId: () => string,
  ) {}

  get count(): number {
    return this.calls.size;
  }

  fragment(key: number, fragment: ToolCallFragment): void {
    let call = this.calls.get(key);
    if (!call) {
      call = { args: '', phase: 'waiting' };
      this.calls.set(key, call);
      this.waiting.push(call);
    }
    if (call.phase === 'closed') return;
    // The id and name come once, on a call's first chunk; later values are ignored.
    call.id ??= fragment.id || undefined;
    call.name ??= fragment.name || undefined;
    call.signature ??= fragment.signature;
    const args = fragment.arguments ?? '';
    call.args += args;
    if (call.phase === 'open' && args !== '') this.blocks.delta({ type: 'tool_args', json: args });
    this.advance();
  }

  /** Ends the turn's calls: the active one closes, waiting ones start and close in order. */
  flush(): void {
    if (this.active) this.finish(this.active);
    for (const call of this.waiting) {
      this.open(call);
      this.finish(call);
    }
    this.waiting = [];
    this.active = undefined;
  }

  /** Starts waiting calls while nothing live is mid-arguments. */
  private advance(): void {
    for (;;) {
      const next = this.waiting[0];
      if (!next || next.name === undefined) return;
      if (this.active && !isCompleteJson(this.active.args)) return;
      if (this.active) this.finish(this.active);
      this.waiting.shift();
      this.open(next);
    }
  }

  private open(call: UpstreamCall): void {
    const id = (call.id ??= this.mintId());
    this.blocks.start({ type: 'tool_call', id, name: call.name ?? '', ...(call.signature ? { signature: call.signature } : {}) });
    call.phase = 'open';
    this.active = call;
    if (call.args !== '') this.blocks.delta({ type: 'tool_args', json: call.args });
  }

  /** A call that never got arguments takes none: `{}` (an empty string is not JSON). */
  private finish(call: UpstreamCall): void {
    if (call.args === '') this.blocks.delta({ type: 'tool_args', json: '{}' });
    this.blocks.close();
    call.phase = 'closed';
    if (this.active === call) this.active = undefined;
  }
}
