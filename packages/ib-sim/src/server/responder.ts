/**
 * How a request's reply reaches the client: latency (sampled per request, plus scripted delays),
 * held back while connectivity is down, and optionally cut off halfway (the mid-response drop).
 */
import { errorFields } from '../protocol/encoder';
import { encodeFrame } from '../protocol/framing';
import type { WireField } from '../protocol/framing';
import type { SimulatorContext } from './context';
import type { ScriptedFaultAction } from './faults';
import { sampleLatency } from './latency';
import type { SimRequestInfo } from './request-info';
import type { ClientSession, OpenRequest } from './session';

/** Sends a request's reply messages. */
export interface Responder {
  send(fields: readonly WireField[]): void;
  sendFrame(frame: Buffer): void;
  sendError(reqId: number, code: number, message: string): void;
}

/** A frame no TWS API message decodes from: an unknown message id, then bytes that are not UTF-8. */
const GARBAGE_FRAME = ((): Buffer => {
  const payload = Buffer.concat([Buffer.from('9999\0', 'ascii'), Buffer.from([0xff, 0xfe, 0x80, 0x81, 0])]);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(payload.length);
  return Buffer.concat([prefix, payload]);
})();

/**
 * The session's own send methods, or, for a `drop-mid-response` fault, methods whose first message
 * is cut in half and followed by closing the connection, or for a `garbage` fault, methods that
 * send a frame of nonsense instead.
 */
export function responderFor(session: ClientSession, action: ScriptedFaultAction | undefined): Responder {
  if (action?.type === 'garbage') {
    const garbage = (): void => session.sendFrame(GARBAGE_FRAME);
    return { send: garbage, sendFrame: garbage, sendError: garbage };
  }
  if (action?.type !== 'drop-mid-response') {
    return {
      send: (fields) => session.send(fields),
      sendFrame: (frame) => session.sendFrame(frame),
      sendError: (reqId, code, message) => session.sendError(reqId, code, message),
    };
  }
  const dropWith = (frame: Buffer): void => session.sendHalfAndDrop(frame);
  return {
    send: (fields) => dropWith(encodeFrame(fields)),
    sendFrame: dropWith,
    sendError: (reqId, code, message) =>
      dropWith(encodeFrame(errorFields(reqId, code, message, session.serverVersion))),
  };
}

/** Where a scheduled reply belongs. */
export interface ReplyOptions {
  /** Extra delay from a scripted `delay` fault. */
  readonly extraDelayMs?: number;
  /** The open request the reply finishes; the reply is skipped if it was cancelled meanwhile. */
  readonly open?: OpenRequest;
  /** Historical replies wait while connectivity is down (the HMDS farm is unreachable). */
  readonly holdWhileDisconnected?: boolean;
}

/** Runs `reply` after the request's latency; synchronously when the latency is zero (keeps order). */
export function scheduleReply(
  ctx: SimulatorContext,
  session: ClientSession,
  info: SimRequestInfo,
  options: ReplyOptions,
  reply: () => void,
): void {
  const delay = sampleLatency(ctx.options.latencyMs, info, ctx.rng) + (options.extraDelayMs ?? 0);
  const { open } = options;
  const run = (): void => {
    if (open) open.timer = undefined;
    if (session.closed || (open && session.open.get(open.reqId) !== open)) return;
    if (options.holdWhileDisconnected && ctx.connectivityDown) {
      if (open) open.held = run;
      return;
    }
    if (open) open.held = undefined;
    reply();
  };
  if (delay <= 0) {
    run();
    return;
  }
  if (open) open.timer = setTimeout(run, delay);
  else session.later(run, delay);
}
