import { KEY_PREFIX } from './queue-names';

/** A worker as `/api/v1/workers` and `ktrdr workers` show it (from its last heartbeat). */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  concurrency: number;
  /** Operation ids it runs now. */
  current_jobs: string[];
  /** ISO 8601 UTC. */
  last_heartbeat: string;
}

/** The Redis key of worker `id`'s heartbeat (it expires after three missed beats). */
export function workerKey(id: string): string {
  return `${KEY_PREFIX}:worker:${id}`;
}
