import type { ApiClient } from '../api/api-client';
import type { WorkerInfo } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { ErrorMessage } from '../components/error-message';

interface Health {
  queues?: Record<string, Record<string, number> | { error?: string }>;
}

const text = (value: unknown) =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * Workers and queues: with a Redis queue (`KTRDR_REDIS_URL`), each `ktrdr worker`'s host, queues,
 * current jobs and last heartbeat (`GET /workers`), and the depth of each queue (`GET /health`).
 * Without one, the API runs everything in-process and says so.
 */
export function WorkersPage({ client }: { client: ApiClient }) {
  const workers = usePolled(() => client.get<{ data: WorkerInfo[] }>('/workers'), 'workers', 5000);
  const health = usePolled(() => client.get<Health>('/health'), 'health', 5000);
  const queues = health.data?.queues;
  const list = workers.data?.data ?? [];
  return (
    <section aria-labelledby="workers-title">
      <h2 id="workers-title">Workers and queues</h2>
      {workers.error !== undefined && (
        <ErrorMessage code={workers.error.code} message={workers.error.message} />
      )}
      {health.data !== undefined && queues === undefined && (
        <p>
          No queue is configured: this API runs loads and trainings in its own process. Start it with{' '}
          <code>KTRDR_REDIS_URL</code> and run <code>ktrdr worker</code>s to spread them out.
        </p>
      )}
      {queues !== undefined && (
        <table class="queues">
          <caption>Queues (jobs per state)</caption>
          <thead>
            <tr>
              <th scope="col">queue</th>
              <th scope="col">depths</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(queues).map(([name, depths]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>
                  {Object.entries(depths)
                    .map(([state, n]) => `${state} ${text(n)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table class="workers">
        <caption>Workers with a recent heartbeat</caption>
        <thead>
          <tr>
            <th scope="col">worker</th>
            <th scope="col">host</th>
            <th scope="col">queues</th>
            <th scope="col">current jobs</th>
            <th scope="col">last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {list.length === 0 && (
            <tr>
              <td colSpan={5}>No workers.</td>
            </tr>
          )}
          {list.map((w) => (
            <tr key={w.id}>
              <td>{w.id}</td>
              <td>
                {w.host} (pid {w.pid})
              </td>
              <td>
                {w.queues.join(', ')} × {w.concurrency}
              </td>
              <td>{w.current_jobs.length === 0 ? 'idle' : w.current_jobs.join(', ')}</td>
              <td>{new Date(w.last_heartbeat).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
