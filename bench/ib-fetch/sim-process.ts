/**
 * The IB simulator in its own process, as a real gateway would be: sharing the benchmark's event
 * loop, its request timestamps would be skewed by the client's own work (decoding ~1,000 bars per
 * reply), which is an artefact of the set-up, not of the pacing. Driven over IPC by `run.ts`.
 */
import { type IbSimulator, type IbSimulatorStats, startIbSimulator } from '@ktrdr/ib-sim';

/** Messages from the benchmark. */
export type SimCommand =
  | {
      type: 'start';
      latencyMs: number;
      timeScale: number;
      nowIso: string;
      /** The simulator's pacing mode (default strict, the benchmark's original set-up). */
      pacing?: 'strict' | 'practical' | 'off';
      /** Record received messages, for `request-times` (default false). */
      record?: boolean;
    }
  | { type: 'request-times' }
  | { type: 'stats' }
  | { type: 'reset-stats' }
  | { type: 'close' };

/** Replies to the benchmark. */
export type SimReply =
  | { type: 'started'; host: string; port: number }
  | { type: 'stats'; stats: IbSimulatorStats }
  | { type: 'request-times'; times: number[] }
  | { type: 'done' };

let sim: IbSimulator | undefined;

const reply = (message: SimReply): void => {
  process.send?.(message);
};

process.on('message', (command: SimCommand) => {
  void (async () => {
    switch (command.type) {
      case 'start': {
        const now = new Date(command.nowIso);
        sim = await startIbSimulator({
          port: 0,
          seed: 1,
          latencyMs: command.latencyMs,
          pacing: command.pacing ?? 'strict',
          timeScale: command.timeScale,
          now: () => now,
          recordMessages: command.record ?? false,
        });
        reply({ type: 'started', host: sim.host, port: sim.port });
        return;
      }
      case 'stats':
        reply({ type: 'stats', stats: structuredClone(sim?.stats) as IbSimulatorStats });
        return;
      case 'request-times':
        // When each historical request reached the gateway (wall-clock ms): the pacing the client chose.
        reply({
          type: 'request-times',
          times: (sim?.messages ?? [])
            .filter((m) => m.name === 'REQ_HISTORICAL_DATA')
            .map((m) => m.receivedAt),
        });
        return;
      case 'reset-stats':
        sim?.resetStats();
        reply({ type: 'done' });
        return;
      case 'close':
        await sim?.close();
        reply({ type: 'done' });
        process.exit(0);
    }
  })();
});
