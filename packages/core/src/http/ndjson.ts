/**
 * Progress streaming over HTTP. A caller that wants progress sends `Accept: application/x-ndjson`;
 * the server then answers with one JSON object per line: `progress` frames while the work runs and a
 * final `result` or `error` frame. Without that header the answer is a plain JSON body.
 */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** One line of a progress stream. @internal */
export type StreamFrame =
  | { type: 'progress'; progress: unknown }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: unknown };

/** Encodes one frame as a line. @internal */
export function encodeFrame(frame: StreamFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/**
 * Reads a progress stream, calling `onFrame` for each frame, and returns the final frame (or
 * undefined when the stream ended without one).
 * @internal
 */
export async function readFrames(
  body: AsyncIterable<Uint8Array>,
  onFrame: (frame: StreamFrame) => void,
): Promise<{ final: StreamFrame | undefined; bytes: number }> {
  const decoder = new TextDecoder();
  let buffered = '';
  let bytes = 0;
  let final: StreamFrame | undefined;
  const take = (line: string) => {
    if (line.trim() === '') return;
    const frame = JSON.parse(line) as StreamFrame;
    if (frame.type === 'progress') onFrame(frame);
    else final = frame;
  };
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      take(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  take(buffered + decoder.decode());
  return { final, bytes };
}
