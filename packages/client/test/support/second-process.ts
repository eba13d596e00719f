import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FollowReport, OperationIds } from '../fixtures/follow-operations';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../fixtures/follow-operations.ts', import.meta.url));

/** The follower script as a real second process, from the repository root (where tsx finds the paths). */
export class SecondProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async line(): Promise<string> {
    const next = await this.lines.next();
    if (next.done === true) throw new Error(`The second process ended early: ${this.stderr}`);
    return next.value;
  }

  /** Resolves with the mode of its client once it is built. */
  async ready(): Promise<string> {
    const line = await this.line();
    if (!line.startsWith('ready ')) throw new Error(`Unexpected first line: ${line} ${this.stderr}`);
    return line.slice('ready '.length);
  }

  /** Hands over the ids, and resolves with what it saw once it exits. */
  async follow(ids: OperationIds): Promise<FollowReport> {
    this.child.stdin.end(`${JSON.stringify(ids)}\n`);
    const report = JSON.parse(await this.line()) as FollowReport;
    const code = await new Promise<number | null>((resolve) =>
      this.child.exitCode === null ? this.child.once('exit', resolve) : resolve(this.child.exitCode),
    );
    if (code !== 0) throw new Error(`The second process exited ${String(code)}: ${this.stderr}`);
    return report;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
