/**
 * Writes IR block events one block at a time: indexes count from 0 in order,
 * a block is started before its deltas, and opening a block closes the one
 * before it, so blocks never interleave (the IR stream contract, stream.ts).
 */
import type { IrBlockStart, IrDelta, IrStreamEvent } from '../../ir/stream.js';

export interface OpenBlock {
  index: number;
  kind: IrBlockStart['type'];
  /** A reasoning block that already has its signature: later thoughts start a new block. */
  signed: boolean;
}

export class BlockWriter {
  private nextIndex = 0;
  private open: OpenBlock | undefined;

  constructor(private readonly out: IrStreamEvent[]) {}

  get current(): OpenBlock | undefined {
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
