import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchTypeScript, NATIVE_TYPESCRIPT, permissionFlags } from '../../scripts/run/launch.ts';

const folder = mkdtempSync(join(tmpdir(), 'workbook-launch-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Starts `file` as the runner would (no IPC: the preload then reports nothing) and returns what it printed. */
function run(file: string, sandbox = false): { status: number | null; stdout: string; stderr: string } {
  const launch = launchTypeScript(file, { sandbox, writable: [] });
  const result = spawnSync(launch.command, launch.args, {
    env: { ...process.env, ...launch.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('launchTypeScript', () => {
  it(`runs a TypeScript program on this Node (${process.version}, ${NATIVE_TYPESCRIPT ? 'type stripping' : 'cached transpile'})`, () => {
    const file = join(folder, 'hello.ts');
    writeFileSync(
      file,
      "import { helper } from './helper.ts';\nconst name: string = helper();\nconsole.log(`hello ${name}`);\n",
    );
    writeFileSync(join(folder, 'helper.ts'), "export function helper(): string {\n  return 'world';\n}\n");
    expect(run(file)).toMatchObject({ status: 0, stdout: 'hello world\n' });
  });

  it('runs a file saved after it was transpiled (the loader transpiles it itself), and a sandboxed one', () => {
    const file = join(folder, 'changed.ts');
    writeFileSync(file, "const a: number = 1;\nconsole.log('first', a);\n");
    expect(run(file).stdout).toBe('first 1\n');
    const launch = launchTypeScript(file, {});
    writeFileSync(file, "const b: number = 2;\nconsole.log('second', b);\n");
    const again = spawnSync(launch.command, launch.args, {
      env: { ...process.env, ...launch.env },
      encoding: 'utf8',
    });
    expect(again.stdout).toBe('second 2\n');
    expect(run(file, true)).toMatchObject({ status: 0, stdout: 'second 2\n' });
  });

  it("stops a program that does not compile with the compiler's file:line:col", () => {
    const file = join(folder, 'broken.ts');
    writeFileSync(file, 'const port;\n');
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(NATIVE_TYPESCRIPT ? /broken\.ts:1/ : /broken\.ts:1:\d+: ERROR: /);
  });
});

describe('permissionFlags', () => {
  it('are flags this Node accepts, and they deny writes outside the writable folders', () => {
    const writable = join(folder, 'out');
    const flags = permissionFlags([writable]);
    const allowed = spawnSync(
      process.execPath,
      [...flags, '-e', `require('fs').mkdirSync(${JSON.stringify(writable)}, { recursive: true })`],
      { encoding: 'utf8' },
    );
    expect(allowed.stderr).not.toMatch(/bad option/);
    const denied = spawnSync(
      process.execPath,
      [...flags, '-e', `require('fs').writeFileSync(${JSON.stringify(join(folder, 'x'))}, 'x')`],
      { encoding: 'utf8' },
    );
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/ERR_ACCESS_DENIED/);
  });
});
