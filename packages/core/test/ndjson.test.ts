import { describe, expect, it } from 'vitest';
import { type StreamFrame, encodeFrame, readFrames } from '../src/http/ndjson';

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('NDJSON progress frames', () => {
  it('encodes one frame per line', () => {
    expect(encodeFrame({ type: 'progress', progress: { p: 1 } })).toBe(
      '{"type":"progress","progress":{"p":1}}\n',
    );
  });

  it('reads frames split anywhere, multi-byte characters included, and returns the final one', async () => {
    const text =
      encodeFrame({ type: 'progress', progress: 'café' }) + encodeFrame({ type: 'result', result: 'ok' });
    const bytes = new TextEncoder().encode(text);
    const e = bytes.indexOf(0xc3); // first byte of the two-byte é
    const split = [bytes.slice(0, e + 1), bytes.slice(e + 1, e + 40), bytes.slice(e + 40)];
    async function* parts() {
      for (const part of split) yield part;
    }
    const seen: StreamFrame[] = [];
    const { final, bytes: count } = await readFrames(parts(), (frame) => seen.push(frame));
    expect(seen).toEqual([{ type: 'progress', progress: 'café' }]);
    expect(final).toEqual({ type: 'result', result: 'ok' });
    expect(count).toBe(bytes.byteLength);
  });

  it('skips blank lines, reads a last line without newline, and reports no final frame when there is none', async () => {
    const { final: result } = await readFrames(
      chunks('\n\n{"type":"error","error":{"code":"x"}}'),
      () => undefined,
    );
    expect(result).toEqual({ type: 'error', error: { code: 'x' } });
    const { final: none } = await readFrames(chunks('{"type":"progress","progress":1}\n'), () => undefined);
    expect(none).toBeUndefined();
  });

  it('throws on a line that is not JSON', async () => {
    await expect(readFrames(chunks('nope\n'), () => undefined)).rejects.toBeInstanceOf(SyntaxError);
  });
});
