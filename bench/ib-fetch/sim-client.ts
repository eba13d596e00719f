/** The benchmark's side of the simulator child process (see sim-process.ts). */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { IbSimulatorStats } from '@ktrdr/ib-sim';
import type { SimCommand, SimReply } from './sim-process';

/** The simulator in a child process (see sim-process.ts), driven by request/reply over IPC. */
export class SimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(options: Omit<Extract<SimCommand, { type: 'start' }>, 'type'>): Promise<SimProcess> {
    const child = fork(fileURLToPath(new URL('./sim-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const started = await SimProcess.ask(child, { type: 'start', ...options });
    if (started.type !== 'started') throw new Error('simulator did not start');
    return new SimProcess(child, started.host, started.port);
  }

  private static ask(child: ChildProcess, command: SimCommand): Promise<SimReply> {
    return new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message as SimReply));
      child.once('error', reject);
      child.send(command);
    });
  }

  async stats(): Promise<IbSimulatorStats> {
    const answer = await SimProcess.ask(this.child, { type: 'stats' });
    if (answer.type !== 'stats') throw new Error('unexpected simulator reply');
    return answer.stats;
  }

  /** When each historical request reached the simulator (started with `record`), wall-clock ms. */
  async requestTimes(): Promise<number[]> {
    const answer = await SimProcess.ask(this.child, { type: 'request-times' });
    if (answer.type !== 'request-times') throw new Error('unexpected simulator reply');
    return answer.times;
  }

  async resetStats(): Promise<void> {
    await SimProcess.ask(this.child, { type: 'reset-stats' });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies SimCommand);
    await exited;
  }
}
