import { spawn } from 'node:child_process';

/** The system's "open this URL" command: `open` on macOS, `start` on Windows, `xdg-open` elsewhere. */
function opener(platform: NodeJS.Platform): { command: string; args: (url: string) => string[] } {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  if (platform === 'win32') return { command: 'cmd', args: (url) => ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: (url) => [url] };
}

/**
 * Opens `url` in the default browser, best effort: resolves false (it never throws) when there is no
 * opener, as on a headless server, where the printed URL is the way in.
 */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const { command, args } = opener(platform);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args(url), { detached: true, stdio: 'ignore' });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
