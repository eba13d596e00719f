import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function ruleHits(code: string, filePath: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('the lint rule that keeps service assembly in @ktrdr/client', () => {
  const assembly = [
    `const data = new DataService({ config });`,
    `const registry = new core.OperationRegistry();`,
    `const source = createIbDataSource({ port: 4002 });`,
    `const trainer = training.createLocalTrainer(data, 'models');`,
    `const worker = await queue.startQueueWorker({ url, queues, runner });`,
    `const runner = createClientJobRunner(client, operationError);`,
  ];

  it.each(['packages/server/src/some-router.ts', 'packages/cli/src/commands/some-command.ts'])(
    'fires in %s for every way of building a service',
    async (file) => {
      for (const line of assembly) expect(await ruleHits(`${line}\nexport {};\n`, file), line).toBe(1);
    },
  );

  it('leaves the client, where the services are assembled, alone', async () => {
    expect(await ruleHits(`${assembly.join('\n')}\nexport {};\n`, 'packages/client/src/services/x.ts')).toBe(
      0,
    );
  });
});
