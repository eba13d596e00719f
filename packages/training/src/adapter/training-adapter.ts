import {
  AsyncHostService,
  type CallOptions,
  type HealthStatus,
  type ServiceClient,
  type ServiceImplementation,
  type KtrdrConfig,
  type Transport,
  type TransportChoice,
} from '@ktrdr/core';
import {
  type StartTrainingInput,
  type TrainingHostContract,
  type TrainingSessionInfo,
  trainingHostContract,
} from '../contract/training-host-contract';

/** How a {@link TrainingAdapter} reaches the trainer. */
export type TrainingAdapterTransportOptions =
  /** A training host service over HTTP (e.g. on a GPU machine). */
  | { kind: 'http'; url: string; token?: string; timeoutMs?: number }
  /** The training host routes running in this process. */
  | { kind: 'in-process'; service: ServiceImplementation<TrainingHostContract> }
  /**
   * Whatever the configuration says (`USE_TRAINING_HOST_SERVICE`): the training host over HTTP
   * with `token`, or in-process over the service `inProcess` builds (called only then).
   */
  | {
      kind: 'config';
      config: KtrdrConfig;
      token?: string;
      inProcess: () => ServiceImplementation<TrainingHostContract>;
    }
  /** Any transport speaking the training host contract. */
  | { kind: 'transport'; transport: Transport };

/** The adapter's options as a choice for the one transport selector. */
function transportChoice(options: TrainingAdapterTransportOptions): TransportChoice {
  switch (options.kind) {
    case 'http':
      return { ...options, urlVariable: 'TRAINING_HOST_SERVICE_URL' };
    case 'in-process':
      return { kind: 'in-process', implementation: options.service };
    case 'config':
      return { ...options, service: 'training' };
    case 'transport':
      return options;
  }
}

/**
 * The training path's communication layer (the seed's TrainingAdapter): starts, stops and watches
 * training sessions on a training host service, over HTTP or in this process.
 */
export class TrainingAdapter extends AsyncHostService {
  private readonly client: ServiceClient<TrainingHostContract>;

  constructor(options: TrainingAdapterTransportOptions) {
    super(trainingHostContract.name, transportChoice(options));
    this.client = this.clientFor(trainingHostContract);
  }

  /** Starts a session; resolves with its id as soon as the host accepted it. */
  async startTraining(input: StartTrainingInput, options: CallOptions = {}): Promise<string> {
    return (await this.client.start(input, options)).session_id;
  }

  /** Asks the host to stop a session at its next batch. */
  async stopTraining(sessionId: string, options: CallOptions = {}): Promise<void> {
    await this.client.stop({ session_id: sessionId }, options);
  }

  /** Status, progress and metrics of a session. */
  getStatus(sessionId: string, options: CallOptions = {}): Promise<TrainingSessionInfo> {
    return this.client.status({ session_id: sessionId }, options);
  }

  /**
   * Follows a session to its end: `onSession` gets each change as the host pushes it (the call's
   * progress), and the call resolves with the session's final state.
   */
  followTraining(
    sessionId: string,
    options: Omit<CallOptions, 'onProgress'> & { onSession?: (session: TrainingSessionInfo) => void } = {},
  ): Promise<TrainingSessionInfo> {
    const { onSession, ...callOptions } = options;
    return this.client.follow(
      { session_id: sessionId },
      {
        ...callOptions,
        // The route's progress updates are its sessions (see `trainingHostContract.follow`).
        onProgress:
          onSession === undefined ? undefined : (update) => onSession(update as TrainingSessionInfo),
      },
    );
  }

  /** Every session the host knows. */
  async listSessions(options: CallOptions = {}): Promise<TrainingSessionInfo[]> {
    return (await this.client.sessions({}, options)).sessions;
  }

  /** Health of the training host (backend, active sessions). */
  async healthCheck(options: CallOptions = {}): Promise<HealthStatus> {
    const health = await this.client.health({}, options);
    return { ...health, mode: this.transport.kind };
  }
}
