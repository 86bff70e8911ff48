// Integration: npm run bench stopped by SIGTERM stops the command it is timing, and what that started, and removes
// the folders it made. A grading left running would hold ports and CPU after the bench is gone.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.ts';

const RUNS = join(ROOT, 'scripts/bench/runs.ts');
// A stand-in for the bench: a folder made, a command timed whose child outlives its shell unless it is stopped too.
const BENCH = `
import { $ } from 'zx';
import { madeFolder, stopRunsOnInterrupt, timeMs } from ${JSON.stringify(RUNS)};
stopRunsOnInterrupt();
const folder = madeFolder('workbook-bench-test-');
await timeMs(() => $({ stdio: ['ignore', 'inherit', 'inherit'] })\`sleep 30 & echo "$! ${'$'}{folder}"; wait\`);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('npm run bench, stopped', () => {
  it('stops what it is timing, and what that started, and removes its folders', async () => {
    const bench = spawn(process.execPath, ['--input-type=module', '-e', BENCH], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    bench.stdout.setEncoding('utf8').on('data', (text: string) => (said += text));
    bench.stderr.setEncoding('utf8').on('data', (text: string) => (said += text));
    const line = await new Promise<string>((resolve, reject) => {
      bench.stdout.on('data', () => said.includes('\n') && resolve(said.split('\n')[0]));
      bench.once('exit', () => reject(new Error(`the stand-in ended before it started its command:\n${said}`)));
    });
    const [pid, folder] = line.split(' ');
    expect({ sleeping: alive(Number(pid)), folder: existsSync(folder) }).toEqual({ sleeping: true, folder: true });
    const exited = new Promise<number | null>((resolve) => bench.once('exit', resolve));
    bench.kill('SIGTERM');
    expect(await exited).toBe(130);
    // The tree is signalled before the bench exits; the sleep may take a moment to be reaped.
    for (let tries = 0; tries < 50 && alive(Number(pid)); tries++) await new Promise((r) => setTimeout(r, 100));
    expect({ sleeping: alive(Number(pid)), folder: existsSync(folder) }).toEqual({ sleeping: false, folder: false });
  });
});
