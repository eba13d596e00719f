import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import { OPERATION_STATUSES, type OperationInfo, isFinished } from '../api/api-types';
import { useOperation } from '../api/use-operation';
import { usePolled } from '../api/use-polled';
import { ErrorMessage } from '../components/error-message';
import { ProgressBar } from '../components/progress-bar';
import { SelectField } from '../components/select-field';
import { ListHead } from '../components/list-table';

/** Kinds the API runs today; others seen in the list are added to the filter as they appear. */
const KNOWN_KINDS = ['data_load', 'training'];

/**
 * Progress streams open at once. Each holds one of the browser's six HTTP/1.1 connections to the
 * API: more would stall the page's other requests. Running operations past these are refreshed by
 * the list's polling instead.
 */
export const MAX_LIVE_STREAMS = 3;

function OperationRow({
  client,
  initial,
  live,
}: {
  client: ApiClient;
  initial: OperationInfo;
  live: boolean;
}) {
  // Running operations follow their progress stream; finished ones are shown as listed.
  const { info = initial } = useOperation(client, live ? initial.operation_id : undefined, initial);
  const [cancelError, setCancelError] = useState<string | undefined>();
  const [cancelling, setCancelling] = useState(false);
  const id = info.operation_id;
  const subject = [info.metadata['symbol'], info.metadata['timeframe']].filter(Boolean).join(' ');
  const cancel = async () => {
    setCancelling(true);
    try {
      await client.send('DELETE', `/operations/${encodeURIComponent(id)}`);
    } catch (e) {
      setCancelError(e instanceof Error ? e.message : String(e));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <tr data-operation-id={id} data-status={info.status}>
      <td>
        <code>{id}</code>
      </td>
      <td>{info.operation_type}</td>
      <td>{subject}</td>
      <td class={`status status-${info.status}`}>{info.status}</td>
      <td>
        <ProgressBar percentage={info.progress.percentage} label={`Progress of ${id}`} />
        {!isFinished(info.status) && info.progress.current_step !== undefined && (
          <div class="step">{info.progress.current_step}</div>
        )}
      </td>
      <td>{new Date(info.created_at).toLocaleString()}</td>
      <td class="error-cell">
        {info.error_message !== undefined && (
          <ErrorMessage code={info.error_code} message={info.error_message} />
        )}
        {cancelError !== undefined && <ErrorMessage message={cancelError} />}
      </td>
      <td>
        {!isFinished(info.status) && (
          <button type="button" onClick={cancel} disabled={cancelling} aria-label={`Cancel ${id}`}>
            Cancel
          </button>
        )}
      </td>
    </tr>
  );
}

/** Operations: every load and training, newest first, live while they run; filter, cancel, read errors. */
export function OperationsPage({ client }: { client: ApiClient }) {
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const query = new URLSearchParams({ limit: '200' });
  if (kind !== '') query.set('operation_type', kind);
  if (status !== '') query.set('status', status);
  const list = usePolled(
    () => client.get<{ data: OperationInfo[] }>(`/operations?${query.toString()}`),
    query.toString(),
    2000,
  );
  const operations = [...(list.data?.data ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const kinds = [...new Set([...KNOWN_KINDS, ...operations.map((o) => o.operation_type)])];
  const liveIds = new Set(
    operations
      .filter((o) => !isFinished(o.status))
      .slice(0, MAX_LIVE_STREAMS)
      .map((o) => o.operation_id),
  );
  return (
    <section aria-labelledby="operations-title">
      <h2 id="operations-title">Operations</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Kind" value={kind} onChange={setKind} options={[['', 'all'], ...kinds]} />
        <SelectField
          label="Status"
          value={status}
          onChange={setStatus}
          options={[['', 'all'], ...OPERATION_STATUSES]}
        />
        <button type="button" onClick={list.refresh}>
          Refresh
        </button>
      </form>
      {list.error !== undefined && <ErrorMessage code={list.error.code} message={list.error.message} />}
      {operations.length === 0 ? (
        <p>{list.data === undefined ? 'Loading…' : 'No operations match.'}</p>
      ) : (
        <table class="operations">
          <caption class="visually-hidden">Operations, newest first</caption>
          <ListHead columns={['id', 'kind', 'subject', 'status', 'progress', 'created', 'error']} />
          <tbody>
            {operations.map((op) => (
              // Keyed by id and status, so a row re-subscribes when the list sees it change.
              <OperationRow
                key={`${op.operation_id}:${op.status}`}
                client={client}
                initial={op}
                live={!isFinished(op.status) && liveIds.has(op.operation_id)}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
