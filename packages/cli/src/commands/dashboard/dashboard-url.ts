import type { CliContext } from '../../cli/context';
import { openInBrowser } from './open-browser';

/** The dashboard's URL on an API's origin (`http://127.0.0.1:8000` gives `.../dashboard/`). */
export function dashboardUrlOf(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/dashboard/`;
}

/**
 * Says where the dashboard is (stderr: a note for people) and, with `open`, opens it. The token is
 * never printed: the page asks for it.
 */
export async function announceDashboard(
  context: CliContext,
  origin: string,
  options: { requiresToken: boolean; open: boolean },
): Promise<void> {
  const url = dashboardUrlOf(origin);
  context.note(
    `Dashboard: ${url}${options.requiresToken ? ' (sign in with the server’s KTRDR_API_TOKEN)' : ''}`,
  );
  if (options.open && !(await openInBrowser(url)))
    context.note('No browser opener here: open the URL yourself.');
}
