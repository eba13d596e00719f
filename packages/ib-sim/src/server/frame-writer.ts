/**
 * Ordered writes to a client socket, with the "split frames" fault: frames are cut into small
 * chunks written on separate event-loop turns so they reach the client in separate TCP reads,
 * exercising its reassembly. Ordering is preserved even when splitting is switched on or off while
 * chunks are still queued.
 */
import type { Socket } from 'node:net';
import type { Rng } from '../market/random';

type QueueItem = Buffer | 'destroy' | 'end';

/** Default largest chunk when frames are split. */
export const DEFAULT_SPLIT_CHUNK_BYTES = 7;

/** Writes frames to one socket. */
export class FrameWriter {
  private readonly queue: QueueItem[] = [];
  private pumping = false;

  constructor(
    private readonly socket: Socket,
    private readonly splitChunkBytes: () => number | undefined,
    private readonly rng: Rng,
  ) {}

  /** Writes a frame (split into chunks when the fault is active). */
  write(frame: Buffer): void {
    const chunkBytes = this.splitChunkBytes();
    if (chunkBytes === undefined && this.queue.length === 0 && !this.pumping) {
      if (!this.socket.destroyed) this.socket.write(frame);
      return;
    }
    if (chunkBytes === undefined) {
      this.queue.push(frame);
    } else {
      for (let offset = 0; offset < frame.length;) {
        const size = 1 + this.rng.int(chunkBytes);
        this.queue.push(frame.subarray(offset, offset + size));
        offset += size;
      }
    }
    this.pump();
  }

  /** Writes the first `bytes` of a frame, then closes the connection (mid-response drop). */
  writeTruncatedAndDestroy(frame: Buffer, bytes: number): void {
    this.queue.push(frame.subarray(0, Math.max(1, Math.min(bytes, frame.length - 1))), 'destroy');
    this.pump();
  }

  /** Half-closes the connection once everything queued has been written. */
  endAfterFlush(): void {
    if (this.queue.length === 0 && !this.pumping) {
      this.socket.end();
      return;
    }
    this.queue.push('end');
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = (): void => {
      const item = this.queue.shift();
      if (item === undefined || this.socket.destroyed) {
        this.pumping = false;
        this.queue.length = 0;
        return;
      }
      if (item === 'destroy' || item === 'end') {
        this.pumping = false;
        this.queue.length = 0;
        if (item === 'destroy') this.socket.destroy();
        else this.socket.end();
        return;
      }
      // Wait for the write callback so a truncated frame is on the wire before the socket closes.
      this.socket.write(item, () => setImmediate(step));
    };
    step();
  }
}
