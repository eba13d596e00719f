import { afterEach, describe, expect, it, vi } from 'vitest';
import { runServerBin } from '../src/bin/run-server-bin';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs a bin in-process with `argv`; returns what it wrote and the exit code it set. */
async function run(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  const services = vi.fn(() => ({ kind: 'ib-host' as const }));
  const server = await runServerBin('ktrdr-ib-host', 'ib-host', services, argv);
  vi.restoreAllMocks();
  return { server, services, stdout: stdout.join(''), stderr: stderr.join(''), exitCode: process.exitCode };
}

describe('server bins: arguments through citty', () => {
  it('--help shows the options, the environment and the signals, and starts nothing', async () => {
    const { server, services, stdout, exitCode } = await run(['-h']);
    expect(server).toBeUndefined();
    expect(services).not.toHaveBeenCalled();
    expect(exitCode).toBeUndefined();
    for (const option of [
      '--host',
      '--port',
      '--help',
      '--version',
      'default 8001',
      'KTRDR_API_TOKEN',
      'LOG_LEVEL',
      'LOG_FORMAT',
      'SIGTERM',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).not.toContain('\u001b[');
  });

  it.each([
    [['--prot', '0'], "ktrdr-ib-host: Unknown option --prot. Run 'ktrdr-ib-host --help' for usage.\n"],
    [['--port'], "ktrdr-ib-host: --port needs a value. Run 'ktrdr-ib-host --help' for usage.\n"],
    [
      ['--port', '--host', '0.0.0.0'],
      "ktrdr-ib-host: --port needs a value. Run 'ktrdr-ib-host --help' for usage.\n",
    ],
    [['8001'], "ktrdr-ib-host: Unexpected argument '8001'. Run 'ktrdr-ib-host --help' for usage.\n"],
    [
      ['--port', '70000'],
      "ktrdr-ib-host: --port must be an integer from 0 to 65535, got '70000'. Run 'ktrdr-ib-host --help' for usage.\n",
    ],
  ])('%j exits 2 with one line, like ktrdr, and starts nothing', async (argv, message) => {
    const { server, services, stderr, exitCode } = await run(argv);
    expect(server).toBeUndefined();
    expect(services).not.toHaveBeenCalled();
    expect(exitCode).toBe(2);
    expect(stderr).toBe(message);
  });
});
