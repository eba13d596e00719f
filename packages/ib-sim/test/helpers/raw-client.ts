/** A raw TCP client for byte-level protocol tests. */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { expect } from 'vitest';

/** Builds the handshake bytes a V100 client sends: `API\0`, length, version range (no NUL). */
export function handshakeBytes(range = 'v100..193'): Buffer {
  const body = Buffer.from(range, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), length, body]);
}

/** Frames fields as a client does: each field NUL-terminated, 4-byte big-endian length prefix. */
export function clientFrame(fields: readonly (string | number)[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** A raw socket with a frame reader. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Timed out waiting for data')), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Every byte received and not consumed yet. */
  get pending(): Buffer {
    return this.buffer;
  }

  /** The raw bytes of the next frame, length header included. */
  async nextRawFrame(timeoutMs = 3000): Promise<Buffer> {
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readUInt32BE(0);
        if (this.buffer.length >= 4 + length) {
          const frame = this.buffer.subarray(0, 4 + length);
          this.buffer = this.buffer.subarray(4 + length);
          return frame;
        }
      }
      if (this.closed) throw new Error('Connection closed');
      await this.waitForChange(timeoutMs);
    }
  }

  /** The fields of the next frame. */
  async nextFields(timeoutMs = 3000): Promise<string[]> {
    const frame = await this.nextRawFrame(timeoutMs);
    const text = frame.subarray(4).toString('utf8');
    expect(text.endsWith('\0')).toBe(true);
    return text.slice(0, -1).split('\0');
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    while (!this.closed) await this.waitForChange(timeoutMs);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
