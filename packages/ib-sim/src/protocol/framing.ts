/**
 * V100+ framing: every message is a 4-byte big-endian length followed by that many bytes of
 * NUL-terminated UTF-8 fields (the last field is terminated too: a missing final NUL corrupts the
 * client's next message, because @stoqey/ib carries the unterminated tail over as a fragment).
 */

/** A field as the simulator writes it: strings verbatim, numbers with JS `toString`. */
export type WireField = string | number;

/** Field terminator. */
export const NUL = '\0';

/**
 * The @stoqey/ib client drops the connection once its receive buffer exceeds 0xffffff bytes, so no
 * single frame may be larger than this (header included).
 */
export const MAX_FRAME_BYTES = 0xffffff;

/** Bytes of the big-endian length header. */
export const FRAME_HEADER_BYTES = 4;

/**
 * Serialises fields into a frame payload. NULs inside a field would split it into two fields on the
 * client, so they are replaced; that only matters for caller-supplied text such as scripted errors.
 */
export function encodeFields(fields: readonly WireField[]): string {
  let out = '';
  for (const field of fields) {
    const text = typeof field === 'number' ? String(field) : field;
    out += (text.includes(NUL) ? text.replaceAll(NUL, ' ') : text) + NUL;
  }
  return out;
}

/** Prefixes an already serialised payload with its byte length. */
export function framePayload(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** Builds one complete frame from fields. */
export function encodeFrame(fields: readonly WireField[]): Buffer {
  return framePayload(encodeFields(fields));
}

/** Splits a frame payload into its fields (the empty string after the final NUL is not a field). */
export function decodeFields(payload: string): string[] {
  const fields = payload.split(NUL);
  if (fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/** A frame announced a length no honest client sends. */
export class FrameTooLargeError extends RangeError {
  constructor(length: number) {
    super(`Frame of ${length} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`);
    this.name = 'FrameTooLargeError';
  }
}

/**
 * Incremental reader of length-prefixed frames from a TCP stream: TCP may deliver a frame in
 * several chunks or several frames in one chunk.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  /** Bytes received but not yet returned as part of a frame. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Appends raw bytes (e.g. what is left after the handshake prefix). */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /**
   * Removes and returns the next complete frame payload, or `undefined` if it has not fully arrived.
   * Throws on a length larger than {@link MAX_FRAME_BYTES}: no honest client sends one, and waiting
   * for it would buffer without bound.
   */
  nextFrame(): Buffer | undefined {
    if (this.buffer.length < FRAME_HEADER_BYTES) return undefined;
    const length = this.buffer.readUInt32BE(0);
    if (length > MAX_FRAME_BYTES) {
      throw new FrameTooLargeError(length);
    }
    const end = FRAME_HEADER_BYTES + length;
    if (this.buffer.length < end) return undefined;
    const frame = this.buffer.subarray(FRAME_HEADER_BYTES, end);
    this.buffer = this.buffer.subarray(end);
    return frame;
  }

  /** Removes and returns `count` raw bytes if available (used for the un-framed `API\0` prefix). */
  take(count: number): Buffer | undefined {
    if (this.buffer.length < count) return undefined;
    const bytes = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return bytes;
  }
}
