/**
 * Starts the example app on 127.0.0.1 (port `PORT`, default 3000):
 * `npx tsx examples/express-embed/src/main.ts`. Ctrl+C stops it gracefully.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installShutdownHandlers } from '@ktrdr/server';
import { createApp } from './app';

const { app, close } = createApp();
const server = createServer(app);
server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`express-embed example on http://127.0.0.1:${port} (ktrdr API at /api/v1)\n`);
});

installShutdownHandlers({
  async close() {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await close();
  },
});
