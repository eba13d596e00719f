/**
 * `ktrdr-api`: the backend API on port 8000 under `/api/v1`. Data goes to the IB host service when
 * `USE_IB_HOST_SERVICE=true`, otherwise straight to IB from this process. With `--redis URL` or
 * `KTRDR_REDIS_URL`, loads and trainings are BullMQ jobs for `ktrdr worker`s, and operations live in
 * Redis (they survive a restart of the API); `@ktrdr/queue` is loaded only then.
 */
import { openApiQueue } from '@ktrdr/client/services';
import { runServerBin } from './run-server-bin';

void runServerBin(
  'ktrdr-api',
  'api',
  async ({ host, port, args }) => {
    const flag = args['redis'];
    // Assembled in @ktrdr/client: undefined (and nothing of BullMQ loaded) without a Redis URL.
    const queue = await openApiQueue({ redisUrl: typeof flag === 'string' ? flag : undefined });
    return { kind: 'api', host, port, queue };
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
