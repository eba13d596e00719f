import type { OperationInfo } from '@ktrdr/core';
import { NotFoundError, isKtrdrError } from '@ktrdr/core/errors';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES, exitCodeForErrorCode } from '../../cli/exit-codes';
import { parseChoice, parseOptionalPositiveInteger } from '../../cli/option-values';
import { countFormat, durationBetween, durationFormat, timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import type { ViewField } from '../../output/view';
import { type CliSession, openSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';

const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

/**
 * An embedded run has its own, empty registry: operations live as long as the process that started
 * them. Say so where it explains an empty answer or an unknown id.
 */
const EMBEDDED_NOTE =
  "note: in-process, ktrdr sees only the operations of this one command; pass --url (or set KTRDR_API_URL) to see a server's.";

function describeSubject(info: OperationInfo): string {
  const m = info.metadata;
  return [m['symbol'], m['timeframe'], m['mode'] ?? m['strategy']]
    .filter((v) => v !== undefined && v !== null)
    .join(' ');
}

function operationFields(info: OperationInfo): ViewField[] {
  const p = info.progress;
  const fields: ViewField[] = [
    { key: 'operation_id', label: 'operation', value: info.operation_id },
    { key: 'operation_type', label: 'type', value: info.operation_type },
    { key: 'subject', label: 'subject', value: describeSubject(info) || undefined },
    { key: 'status', label: 'status', value: info.status },
    {
      key: 'percentage',
      label: 'progress',
      value: `${p.percentage.toFixed(0)}%${p.current_step ? ` (${p.current_step})` : ''}`,
    },
    { key: 'created_at', label: 'created', value: info.created_at, format: timeFormat },
    { key: 'completed_at', label: 'finished', value: info.completed_at, format: timeFormat },
    {
      key: 'duration_ms',
      label: 'took',
      value: durationBetween(info.started_at ?? info.created_at, info.completed_at),
      format: durationFormat,
    },
  ];
  if (info.error_message !== undefined)
    fields.push({ key: 'error', label: 'error', value: info.error_message });
  for (const [key, value] of Object.entries(info.result_summary ?? {})) {
    if (value === null || typeof value !== 'object') {
      fields.push({
        key: `result.${key}`,
        label: key.replace(/_/g, ' '),
        value,
        format: typeof value === 'number' ? countFormat : undefined,
      });
    }
  }
  return fields;
}

const isSimulated = (info: OperationInfo) => info.result_summary?.['simulated'] === true;

/** Adds the embedded-mode explanation to "no such operation". */
function explainNotFound(session: CliSession): (error: unknown) => never {
  return (error) => {
    if (session.mode === 'embedded' && isKtrdrError(error) && error.code === 'not_found') {
      throw new NotFoundError(
        `${error.message} In-process, ktrdr sees only the operations of this one command: pass --url to reach a server.`,
        { details: error.details, cause: error },
      );
    }
    throw error;
  };
}

/** Arguments of `ktrdr operations list`. */
export interface OperationsListArgs {
  status?: string;
  type?: string;
  limit?: string;
  offset?: string;
}

/** Lists operations, newest first, a page at a time with `--limit` and `--offset`. */
export async function operationsList(context: CliContext, args: OperationsListArgs): Promise<void> {
  const command = 'ktrdr operations list';
  const status =
    args.status === undefined ? undefined : parseChoice(args.status, STATUSES, '--status', command);
  const limit = parseOptionalPositiveInteger(args.limit, '--limit', command);
  // 0 is a valid offset: the first page.
  const offset =
    args.offset === undefined || args.offset === '0'
      ? undefined
      : parseOptionalPositiveInteger(args.offset, '--offset', command);
  await using session = await openSession(context);
  const answer = await session.operations.list(
    { status, operation_type: args.type, limit, offset },
    { signal: context.interrupt },
  );
  const rows = answer.data.map((info) => ({
    operation_id: info.operation_id,
    operation_type: info.operation_type,
    subject: describeSubject(info),
    status: info.status,
    progress: `${info.progress.percentage.toFixed(0)}%`,
    created_at: info.created_at,
    simulated: isSimulated(info),
  }));
  printView(context, {
    blocks: [
      {
        kind: 'table',
        title: `Operations at ${session.target}`,
        empty: 'No operations.',
        columns: [
          { key: 'operation_id', header: 'operation' },
          { key: 'operation_type', header: 'type' },
          { key: 'subject', header: 'subject' },
          { key: 'status', header: 'status' },
          { key: 'progress', header: 'progress', align: 'right' },
          { key: 'created_at', header: 'created', format: timeFormat },
          { key: 'simulated', header: 'data', format: (v) => (v === true ? 'SIMULATED' : '') },
        ],
        rows,
      },
    ],
    json: answer.data,
  });
  if (answer.next_offset !== undefined || (offset !== undefined && offset > 0)) {
    const first = (offset ?? 0) + 1;
    const shown = answer.data.length === 0 ? 'none' : `${first}-${first + answer.data.length - 1}`;
    const next = answer.next_offset === undefined ? '' : `; --offset ${answer.next_offset} for the next page`;
    context.note(`Operations ${shown} of ${answer.total_count}${next}.`);
  }
  if (session.mode === 'embedded') context.note(EMBEDDED_NOTE);
}

/** Arguments of the commands that take an operation id. */
export interface OperationIdArgs {
  id: string;
  reason?: string;
  progress?: boolean;
}

/** Shows one operation. */
export async function operationsStatus(context: CliContext, args: OperationIdArgs): Promise<void> {
  await using session = await openSession(context);
  const { data } = await session.operations
    .get({ operation_id: args.id }, { signal: context.interrupt })
    .catch(explainNotFound(session));
  printView(context, {
    blocks: [{ kind: 'record', title: `Operation ${data.operation_id}`, fields: operationFields(data) }],
    simulated: isSimulated(data),
    json: data,
  });
}

/** Follows an operation to its end; exits like the operation ended (0, its error's code, or 130). */
export async function operationsFollow(context: CliContext, args: OperationIdArgs): Promise<void> {
  await using session = await openSession(context);
  const { data: first } = await session.operations
    .get({ operation_id: args.id }, { signal: context.interrupt })
    .catch(explainNotFound(session));
  const { info, interrupted } = await followOperation(context, session, {
    operationId: first.operation_id,
    label: `${first.operation_type} ${describeSubject(first)}`.trim(),
    progress: args.progress !== false,
    onInterrupt: 'detach',
  });
  printView(context, {
    blocks: [{ kind: 'record', title: `Operation ${info.operation_id}`, fields: operationFields(info) }],
    simulated: isSimulated(info),
    json: info,
  });
  if (interrupted) {
    context.exitCode = EXIT_CODES.interrupted;
  } else if (info.status === 'failed' || info.status === 'cancelled') {
    // Cancelled elsewhere (another client, the server shutting down): say so, not only exit 1.
    const error = operationError(info);
    context.exitCode =
      info.status === 'failed' ? exitCodeForErrorCode(info.error_code, false) : EXIT_CODES.error;
    context.error([`ktrdr: ${error.message}`], {
      code: error.code,
      message: error.message,
      exit_code: context.exitCode,
      details: error.details,
    });
  }
}

/** Cancels a running operation and shows its snapshot. */
export async function operationsCancel(context: CliContext, args: OperationIdArgs): Promise<void> {
  await using session = await openSession(context);
  const { data } = await session.operations
    .cancel({ operation_id: args.id, reason: args.reason }, { signal: context.interrupt })
    .catch(explainNotFound(session));
  printView(context, {
    blocks: [
      { kind: 'record', title: `Cancel requested for ${data.operation_id}`, fields: operationFields(data) },
    ],
    simulated: isSimulated(data),
    json: data,
  });
}
