/**
 * `ktrdr-api`: the backend API on port 8000 under `/api/v1`. Data goes to the IB host service when
 * `USE_IB_HOST_SERVICE=true`, otherwise straight to IB from this process. With `--redis URL` or
 * `KTRDR_REDIS_URL`, loads and trainings are BullMQ jobs for `ktrdr worker`s, and operations live in
 * Redis (they survive a restart of the API); `@ktrdr/queue` is loaded only then.
 */
import { runServerBin } from './run-server-bin';

void runServerBin(
  'ktrdr-api',
  'api',
  async ({ host, port, args }) => {
    const flag = args['redis'];
    const url = (typeof flag === 'string' ? flag : process.env['KTRDR_REDIS_URL'])?.trim();
    if (url === undefined || url === '') return { kind: 'api', host, port };
    const { openApiQueue } = await import('@ktrdr/queue');
    return { kind: 'api', host, port, queue: await openApiQueue({ url }) };
  },
  process.argv.slice(2),
  {
    redis: {
      type: 'string',
      valueHint: 'URL',
      description: 'Run operations as BullMQ jobs on this Redis (default KTRDR_REDIS_URL; unset: in-process)',
    },
  },
);
