/**
 * Writes IR block events one block at a time: indexes count from 0 in order,
 * a block is always started before its deltas, and opening a block closes
 * the one before it, so blocks never interleave (the IR stream contract, stream.ts).
 * Shared by the decoders that build IR blocks from upstream parts (Chat, Gemini).
 */
import type { IrBlockStart, IrDelta, IrStreamEvent } from '../../ir/stream.js';

export type BlockKind = IrBlockStart['type'];

export interface CurrentBlock {
  index: number;
  kind: BlockKind;
  /** A reasoning block that already received its signature. */
  signed: boolean;
}

export class IrBlocks {
  private nextIndex = 0;
  private open: CurrentBlock | undefined;

  constructor(private readonly out: IrStreamEvent[]) {}

  get current(): CurrentBlock | undefined {
    return this.open;
  }

  start(block: IrBlockStart): void {
    this.close();
    const index = this.nextIndex++;
    this.out.push({ type: 'block_start', index, block });
    this.open = { index, kind: block.type, signed: false };
  }

  delta(delta: IrDelta): void {
    if (!this.open) return;
    if (delta.type === 'signature') this.open.signed = true;
    this.out.push({ type: 'delta', index: this.open.index, delta });
  }

  close(): void {
    if (!this.open) return;
    this.out.push({ type: 'block_stop', index: this.open.index });
    this.open = undefined;
  }
}
