import { ServiceConnectionError } from '@ktrdr/core/errors';
import type { CliContext } from '../../cli/context';
import { parsePort } from '../../cli/option-values';
import { serve } from '../serve-action';
import { announceDashboard, dashboardUrlOf } from './dashboard-url';
import { findDashboard } from './find-dashboard';

const COMMAND = 'ktrdr dashboard';

/** Arguments of `ktrdr dashboard`. */
export interface DashboardArgs {
  host?: string;
  port?: string;
  open?: boolean;
}

/**
 * Finds the API the CLI would talk to (`--url`, `KTRDR_API_URL`, else `127.0.0.1:8000`) and prints
 * its dashboard's URL on stdout. With no URL given and nothing there, starts the API in the
 * foreground, exactly as `ktrdr serve api` does, and prints the URL once it listens.
 * @throws ServiceConnectionError when the API named by `--url` / `KTRDR_API_URL` serves no dashboard.
 */
export async function dashboard(context: CliContext, args: DashboardArgs): Promise<void> {
  const port = args.port === undefined ? 8000 : parsePort(args.port, COMMAND);
  const explicit = context.apiUrl;
  const origin = new URL(explicit ?? `http://${args.host ?? '127.0.0.1'}:${port}`).origin;
  const found = await findDashboard(origin);
  if (found !== undefined) {
    const url = dashboardUrlOf(origin);
    if (context.format === 'json') context.out(JSON.stringify({ kind: 'api', url, origin, started: false }));
    else context.out(url);
    await announceDashboard(context, origin, {
      requiresToken: found.requiresToken,
      open: args.open === true,
    });
    return;
  }
  if (explicit !== undefined) {
    throw new ServiceConnectionError(
      `No ktrdr dashboard answers at ${origin} (${context.apiUrlSource}): start the API there with \`ktrdr serve api\`, or unset it to start one here.`,
      { details: { url: origin } },
    );
  }
  context.note(`No API at ${origin}: starting one (Ctrl+C stops it).`);
  await serve(context, {
    kind: 'api',
    host: args.host,
    port: String(port),
    open: args.open,
    dashboard: true,
  });
}
