/**
 * One client connection: the V100 handshake, frame reassembly, the START_API start-up sequence,
 * ordered (optionally split) writes, and the requests still open on this connection.
 */
import type { Socket } from 'node:net';
import { decodeClientMessage } from '../protocol/decoder';
import type { ClientMessage } from '../protocol/decoder';
import { errorFields, managedAccountsFields, nextValidIdFields } from '../protocol/encoder';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import { decodeFields, encodeFrame, FrameReader, FrameTooLargeError } from '../protocol/framing';
import type { WireField } from '../protocol/framing';
import {
  API_PREFIX,
  formatConnectionTime,
  negotiateServerVersion,
  parseClientVersionRange,
} from '../protocol/handshake';
import { incomingMessageName } from '../protocol/message-ids';
import { IB_SIM_ACCOUNT_ID } from '../identity';
import type { SimulatorContext } from './context';
import { FrameWriter } from './frame-writer';

/** A request accepted on this connection and not finished yet. */
export interface OpenRequest {
  readonly reqId: number;
  readonly kind: 'historical-data' | 'head-timestamp';
  /** Whether it holds one of the pacing guard's open-request slots. */
  readonly paced: boolean;
  /** Pending reply timer. */
  timer: NodeJS.Timeout | undefined;
  /** Live-update timer of a keepUpToDate request. */
  stream: NodeJS.Timeout | undefined;
  /** Reply held back while connectivity is down. */
  held: (() => void) | undefined;
}

/** Handles decoded messages once the API session has started. */
export type MessageHandler = (session: ClientSession, message: ClientMessage) => void;

type State = 'prefix' | 'version' | 'awaiting-start' | 'ready' | 'closed';

/** The start-up infos a gateway sends after START_API (reqId -1: the client reports them as info). */
const FARM_STATUS: readonly (readonly [number, string])[] = [
  [IbErrorCode.MARKET_DATA_FARM_OK, IbErrorText.marketDataFarmOk],
  [IbErrorCode.HMDS_FARM_OK, IbErrorText.hmdsFarmOk],
  [IbErrorCode.SEC_DEF_FARM_OK, IbErrorText.secDefFarmOk],
];

/** One TCP client of the simulator. */
export class ClientSession {
  /** Client id from START_API. */
  clientId: number | undefined;
  /** Negotiated server version (0 until the handshake completes). */
  serverVersion = 0;
  /** Value answered to reqIds (the next valid order id). */
  nextOrderId = 1;
  /** Historical-data and head-timestamp requests not yet finished, by reqId. */
  readonly open = new Map<number, OpenRequest>();
  private state: State = 'prefix';
  private readonly reader = new FrameReader();
  private readonly writer: FrameWriter;
  private messagesAfterStart = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly socket: Socket,
    /** Connection sequence number, 1-based. */
    readonly id: number,
    private readonly handle: MessageHandler,
  ) {
    this.writer = new FrameWriter(socket, () => ctx.splitChunkBytes(), ctx.rng);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.onClose());
    // Resets and aborted writes are normal for a test double whose clients vanish; 'close' follows.
    socket.on('error', () => undefined);
  }

  /** Whether the connection is gone. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Sends one message. */
  send(fields: readonly WireField[]): void {
    if (!this.closed) this.writer.write(encodeFrame(fields));
  }

  /** Sends an already built frame (large historical replies). */
  sendFrame(frame: Buffer): void {
    if (!this.closed) this.writer.write(frame);
  }

  /** Sends the first half of a frame, then closes the connection. */
  sendHalfAndDrop(frame: Buffer): void {
    if (!this.closed) this.writer.writeTruncatedAndDestroy(frame, Math.floor(frame.length / 2));
  }

  /** Sends ERR_MSG; reqId -1 is an info (farm status, connectivity), anything else an error. */
  sendError(reqId: number, code: number, message: string): void {
    if (reqId !== -1) this.ctx.stats.errorsSent += 1;
    this.send(errorFields(reqId, code, message, this.serverVersion));
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  /** Runs `fn` after `ms` unless the connection closes first. */
  later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Registers a request as open until {@link finishRequest}; `paced` when it holds a pacing slot. */
  startRequest(reqId: number, kind: OpenRequest['kind'], paced: boolean): OpenRequest {
    const request: OpenRequest = { reqId, kind, paced, timer: undefined, stream: undefined, held: undefined };
    this.open.set(reqId, request);
    return request;
  }

  /** Stops an open request's timers, frees its pacing slot and forgets it. */
  finishRequest(reqId: number): void {
    const request = this.open.get(reqId);
    if (!request) return;
    if (request.timer) clearTimeout(request.timer);
    if (request.stream) clearInterval(request.stream);
    if (request.paced) this.ctx.pacing.release();
    this.open.delete(reqId);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.reader.push(chunk);
    try {
      let more = true;
      while (more && !this.closed) more = this.step();
    } catch (error) {
      this.destroy();
      // An absurd frame length means the stream is garbage; anything else is a simulator bug and
      // must surface rather than look like a flaky connection.
      if (!(error instanceof FrameTooLargeError)) throw error;
    }
  }

  /** Processes one unit of input; false when more bytes are needed. */
  private step(): boolean {
    if (this.state === 'prefix') {
      const prefix = this.reader.take(API_PREFIX.length);
      if (!prefix) return false;
      if (!prefix.equals(API_PREFIX)) {
        // Pre-V100 clients are not supported (neither does a modern gateway in V100 mode).
        this.destroy();
        return false;
      }
      this.state = 'version';
      return true;
    }
    const frame = this.reader.nextFrame();
    if (!frame) return false;
    const text = frame.toString('utf8');
    if (this.state === 'version') {
      this.onVersionFrame(text);
      return true;
    }
    const fields = decodeFields(text);
    const idText = fields[0] ?? '';
    const id = Number.parseInt(idText, 10);
    this.ctx.record({
      connectionId: this.id,
      clientId: this.clientId,
      receivedAt: Date.now(),
      id: Number.isNaN(id) ? -1 : id,
      name: Number.isNaN(id) ? 'MALFORMED' : incomingMessageName(id),
      fields,
    });
    const message = decodeClientMessage(fields, this.serverVersion);
    if (this.state === 'awaiting-start') {
      // A gateway ignores everything before START_API.
      if (message.kind === 'start-api') this.onStartApi(message.clientId);
      return true;
    }
    this.messagesAfterStart += 1;
    const dropAfter = this.ctx.faults.dropAfterMessages;
    if (dropAfter !== undefined && dropAfter > 0 && this.messagesAfterStart >= dropAfter) {
      this.destroy();
      return false;
    }
    this.handle(this, message);
    return true;
  }

  private onVersionFrame(text: string): void {
    this.ctx.record({
      connectionId: this.id,
      clientId: undefined,
      receivedAt: Date.now(),
      id: -1,
      name: 'HANDSHAKE',
      fields: [text],
    });
    const range = parseClientVersionRange(text);
    const version = range && negotiateServerVersion(range, this.ctx.options.serverVersion);
    if (version === undefined) {
      this.destroy();
      return;
    }
    this.serverVersion = version;
    this.state = 'awaiting-start';
    this.send([version, formatConnectionTime(this.ctx.options.now())]);
  }

  private onStartApi(clientId: number): void {
    const holder = this.ctx.clientIds.get(clientId);
    if (holder && !holder.closed) {
      this.sendError(-1, IbErrorCode.DUPLICATE_CLIENT_ID, IbErrorText.duplicateClientId);
      this.state = 'closed';
      this.writer.endAfterFlush();
      return;
    }
    this.clientId = clientId;
    this.ctx.clientIds.set(clientId, this);
    this.state = 'ready';
    // Order as IB Gateway: accounts, next valid id (which releases the client's request queue), farms.
    this.send(managedAccountsFields([IB_SIM_ACCOUNT_ID]));
    this.send(nextValidIdFields(this.nextOrderId));
    for (const [code, text] of FARM_STATUS) this.sendError(-1, code, text);
  }

  private onClose(): void {
    this.state = 'closed';
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const reqId of [...this.open.keys()]) this.finishRequest(reqId);
    if (this.clientId !== undefined && this.ctx.clientIds.get(this.clientId) === this) {
      this.ctx.clientIds.delete(this.clientId);
    }
    if (this.ctx.sessions.delete(this)) this.ctx.stats.activeConnections -= 1;
  }
}
