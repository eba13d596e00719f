import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../package.json';
import { runServerBin } from '../src/bin/run-server-bin';

afterEach(() => vi.restoreAllMocks());

describe('server bins: --version', () => {
  it.each([
    ['ktrdr-api', 'api'],
    ['ktrdr-ib-host', 'ib-host'],
    ['ktrdr-training-host', 'training-host'],
  ] as const)('%s --version prints the version and starts nothing', async (bin, kind) => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const services = vi.fn(() => ({ kind: 'api' as const }));
    expect(await runServerBin(bin, kind, services, ['--version'])).toBeUndefined();
    expect(written.join('')).toBe(`${packageJson.version}\n`);
    expect(services).not.toHaveBeenCalled();
  });
});
