import { EventEmitter } from 'node:events';
import type { IbApiCreateOptions, IbApiPort, IbContract } from '../../src/ib/ib-api-port';

/** How the fake gateway answers a connect. */
export type FakeGatewayMode = 'normal' | 'silent' | 'refuse' | 'no-accounts';

/** One request the fake received. */
export interface FakeSent {
  api: FakeIbApi;
  type: string;
  reqId?: number;
  /** Whether next-valid-id had been delivered on that socket when the request was sent. */
  synced: boolean;
  args: unknown[];
}

/**
 * A scripted stand-in for IB Gateway behind the `IbApiPort` seam, for deterministic lifecycle
 * tests (the real-socket behaviour is covered against the simulator).
 */
export class FakeGateway {
  mode: FakeGatewayMode = 'normal';
  accounts = 'KTRDRSIM0001';
  readonly takenClientIds = new Set<number>();
  readonly apis: FakeIbApi[] = [];
  readonly sent: FakeSent[] = [];
  /** Answers requests; default: nothing (tests answer by hand). */
  onRequest: (sent: FakeSent) => void = () => undefined;

  readonly factory = (options: IbApiCreateOptions): IbApiPort => {
    const api = new FakeIbApi(this, options);
    this.apis.push(api);
    return api;
  };

  get current(): FakeIbApi {
    const api = this.apis[this.apis.length - 1];
    if (api === undefined) throw new Error('no API created yet');
    return api;
  }

  sentOf(type: string): FakeSent[] {
    return this.sent.filter((s) => s.type === type);
  }
}

/** One fake socket. */
export class FakeIbApi extends EventEmitter implements IbApiPort {
  isConnected = false;
  serverVersion = 0;
  synced = false;
  connectedClientId: number | undefined;
  disconnectCalls = 0;

  constructor(
    private readonly gateway: FakeGateway,
    readonly options: IbApiCreateOptions,
  ) {
    super();
  }

  connect(clientId?: number): this {
    this.connectedClientId = clientId;
    const gw = this.gateway;
    setImmediate(() => {
      if (gw.mode === 'refuse') {
        this.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:4002'), 502, -1);
        this.emit('disconnected');
        return;
      }
      this.isConnected = true;
      this.serverVersion = 193;
      this.emit('connected');
      this.emit('server', 193, '20240301 12:00:00 GMT');
      if (gw.mode === 'silent') return;
      if (clientId !== undefined && gw.takenClientIds.has(clientId)) {
        this.emit(
          'info',
          'Unable to connect as the client id is already in use. Retry with a unique client id.',
          326,
        );
        this.isConnected = false;
        this.emit('disconnected');
        return;
      }
      if (gw.mode !== 'no-accounts') this.emit('managedAccounts', gw.accounts);
      this.synced = true;
      this.emit('nextValidId', 1);
      this.emit('info', 'Market data farm connection is OK:usfarm', 2104);
    });
    return this;
  }

  disconnect(): this {
    this.disconnectCalls += 1;
    if (this.isConnected) {
      this.isConnected = false;
      setImmediate(() => this.emit('disconnected'));
    }
    return this;
  }

  /** The gateway drops the socket. */
  drop(): void {
    this.isConnected = false;
    this.emit('disconnected');
  }

  private record(type: string, reqId: number | undefined, args: unknown[]): this {
    const sent: FakeSent = { api: this, type, reqId, synced: this.synced, args };
    this.gateway.sent.push(sent);
    this.gateway.onRequest(sent);
    return this;
  }

  reqHistoricalData(reqId: number, contract: IbContract, ...rest: unknown[]): this {
    return this.record('reqHistoricalData', reqId, [contract, ...rest]);
  }
  cancelHistoricalData(reqId: number): this {
    return this.record('cancelHistoricalData', reqId, []);
  }
  reqHeadTimestamp(reqId: number, contract: IbContract, ...rest: unknown[]): this {
    return this.record('reqHeadTimestamp', reqId, [contract, ...rest]);
  }
  cancelHeadTimestamp(reqId: number): this {
    return this.record('cancelHeadTimestamp', reqId, []);
  }
  reqContractDetails(reqId: number, contract: IbContract): this {
    return this.record('reqContractDetails', reqId, [contract]);
  }
  reqCurrentTime(): this {
    return this.record('reqCurrentTime', undefined, []);
  }
}
