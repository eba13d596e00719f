/**
 * Serves the bench service in its own process, so the client and the server do not share one
 * event loop (they would not in production), plus the plain-`http` floor server. Prints both base
 * URLs on the first line of stdout, space-separated.
 */
import { serveService } from '@ktrdr/core';
import { portOf, startFloorServer } from './floor';
import { benchImplementation } from './service';

const server = await serveService(benchImplementation);
const floor = await startFloorServer();
process.stdout.write(`${server.url} http://127.0.0.1:${portOf(floor)}\n`);
const stop = () => {
  floor.close();
  void server.close().then(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
