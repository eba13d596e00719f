import type { CliContext } from '../../cli/context';
import { EXIT_CODES } from '../../cli/exit-codes';
import { sourceFormat, timeFormat, yesNo } from '../../output/formatters';
import { printView } from '../../output/print-view';
import type { ViewField } from '../../output/view';
import { openIbSession } from '../../session/ib-session';

/** `@ktrdr/data`'s symbol, timeframe and date helpers: loaded with the IB path, which needs the SDK anyway. */
async function dataHelpers() {
  const { formatIsoUtc, parseSymbol, parseTimeframe } = await import('@ktrdr/data');
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : formatIsoUtc(ms));
  return { iso, parseSymbol, parseTimeframe };
}

/** Shows the health of the IB path; exits 4 when it is not connected. */
export async function ibStatus(context: CliContext): Promise<void> {
  await using ib = await openIbSession(context);
  const health = await ib.adapter.healthCheck({ signal: context.interrupt });
  const status = (health['ib_status'] ?? {}) as Record<string, unknown>;
  const simulated = health['simulated'] === true;
  const target = ib.config.ib.useHostService
    ? ib.config.ib.hostServiceUrl
    : `${ib.config.ib.host}:${ib.config.ib.port}`;
  const fields: ViewField[] = [
    { key: 'healthy', label: 'connected', value: health.healthy, format: yesNo },
    {
      key: 'mode',
      label: 'path',
      value: ib.config.ib.useHostService ? 'IB host service (http)' : 'direct IB (TCP)',
    },
    { key: 'target', label: 'target', value: target },
    // Facts of the gateway are only known once connected.
    {
      key: 'server_version',
      label: 'server version',
      value: health.healthy ? status['server_version'] : undefined,
    },
    { key: 'client_id', label: 'client id', value: status['client_id'] },
    {
      key: 'simulated',
      label: 'source',
      value: health.healthy ? simulated : undefined,
      format: (v) => (v === undefined ? '-' : sourceFormat(v)),
    },
  ];
  printView(context, {
    blocks: [{ kind: 'record', title: 'IB connection', fields }],
    simulated,
    json: { ...health, target },
  });
  if (!health.healthy) {
    const message = ib.config.ib.useHostService
      ? `the IB host service at ${target} is not connected to IB Gateway; start the gateway, or check IB_HOST_SERVICE_URL.`
      : `no IB Gateway/TWS answers at ${target}; start it (or a simulator: ktrdr sim --port ${ib.config.ib.port}), or set IB_HOST/IB_PORT.`;
    context.exitCode = EXIT_CODES.unavailable;
    context.error([`ktrdr: ${message}`], {
      code: 'connection_failed',
      message,
      exit_code: context.exitCode,
    });
  }
}

/** Arguments of `ktrdr ib validate`. */
export interface IbValidateArgs {
  symbol: string;
  timeframe?: string;
}

/** Asks IB whether it knows a symbol; exits 3 when it does not. */
export async function ibValidate(context: CliContext, args: IbValidateArgs): Promise<void> {
  const { iso, parseSymbol, parseTimeframe } = await dataHelpers();
  const symbol = parseSymbol(args.symbol);
  const timeframes = args.timeframe === undefined ? [] : [parseTimeframe(args.timeframe)];
  await using ib = await openIbSession(context);
  const answer = await ib.adapter.validateSymbol(symbol, { timeframes, signal: context.interrupt });
  const info = answer.contractInfo;
  const heads = Object.fromEntries(Object.entries(answer.headTimestamps).map(([tf, ms]) => [tf, iso(ms)]));
  const fields: ViewField[] = [
    { key: 'valid', label: 'known to IB', value: answer.isValid, format: yesNo },
    { key: 'asset_type', label: 'type', value: info?.asset_type },
    { key: 'exchange', label: 'exchange', value: info?.exchange },
    { key: 'currency', label: 'currency', value: info?.currency },
    { key: 'description', label: 'description', value: info?.description },
    { key: 'time_zone', label: 'time zone', value: info?.time_zone },
    ...Object.entries(heads).map(([tf, head]) => ({
      key: `head_${tf}`,
      label: `earliest ${tf}`,
      value: head,
      format: timeFormat,
    })),
  ];
  if (answer.errorMessage !== null) fields.push({ key: 'error', label: 'error', value: answer.errorMessage });
  printView(context, {
    blocks: [{ kind: 'record', title: `${symbol} on IB`, fields }],
    simulated: info?.simulated === true,
    json: {
      symbol,
      is_valid: answer.isValid,
      error_message: answer.errorMessage,
      contract_info: info,
      head_timestamps: heads,
      simulated: info?.simulated === true,
    },
  });
  if (!answer.isValid) context.exitCode = EXIT_CODES.notFound;
}

/** Arguments of `ktrdr ib head-timestamp`. */
export interface IbHeadTimestampArgs {
  symbol: string;
  timeframe?: string;
}

/** Shows the earliest data point IB has for a symbol. */
export async function ibHeadTimestamp(context: CliContext, args: IbHeadTimestampArgs): Promise<void> {
  const { iso, parseSymbol, parseTimeframe } = await dataHelpers();
  const symbol = parseSymbol(args.symbol);
  const timeframe = parseTimeframe(args.timeframe ?? '1h');
  await using ib = await openIbSession(context);
  // The contract says whether the broker is the simulator, so the answer can be labelled.
  const [head, info] = await Promise.all([
    ib.adapter.getHeadTimestamp(symbol, { timeframe, signal: context.interrupt }),
    ib.adapter.getSymbolInfo(symbol, { signal: context.interrupt }),
  ]);
  const timestamp = iso(head);
  printView(context, {
    blocks: [
      {
        kind: 'record',
        title: `${symbol} ${timeframe} on IB`,
        fields: [{ key: 'timestamp', label: 'earliest bar', value: timestamp, format: timeFormat }],
      },
    ],
    simulated: info.simulated,
    json: { symbol, timeframe, timestamp, simulated: info.simulated },
  });
}

/** Arguments of `ktrdr ib search`. */
export interface IbSearchArgs {
  pattern: string;
}

/** Shows the contracts IB's symbol search finds; exits 3 when there are none. */
export async function ibSearch(context: CliContext, args: IbSearchArgs): Promise<void> {
  const { parseSearchPattern } = await import('@ktrdr/data');
  const pattern = parseSearchPattern(args.pattern);
  await using ib = await openIbSession(context);
  const { matches, simulated } = await ib.adapter.searchSymbols(pattern, { signal: context.interrupt });
  printView(context, {
    blocks: [
      {
        kind: 'table',
        title: `IB symbols matching '${pattern}'`,
        columns: [
          { key: 'symbol', header: 'symbol' },
          { key: 'sec_type', header: 'type' },
          { key: 'primary_exchange', header: 'exchange' },
          { key: 'currency', header: 'currency' },
          { key: 'description', header: 'description' },
          { key: 'derivative_sec_types', header: 'derivatives', format: (v) => (v as string[]).join(',') },
          { key: 'con_id', header: 'conId', align: 'right' },
        ],
        rows: matches,
        empty: `IB knows no symbol or name matching '${pattern}'.`,
      },
    ],
    simulated,
    json: { pattern, matches, simulated },
  });
  if (matches.length === 0) context.exitCode = EXIT_CODES.notFound;
}
