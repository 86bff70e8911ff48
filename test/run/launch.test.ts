import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchTypeScript, permissionFlags } from '../../scripts/run/launch.ts';
import { compileError } from '../../scripts/scenario/explain.ts';

const folder = mkdtempSync(join(tmpdir(), 'workbook-launch-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Starts `file` as the runner would (no IPC: the preload then reports nothing) and returns what it printed. */
function run(
  file: string,
  sandbox = false,
  compileCache?: string,
): { status: number | null; stdout: string; stderr: string } {
  const launch = launchTypeScript(file, { sandbox, writable: [], compileCache });
  const env = { ...process.env, ...launch.env };
  if (!compileCache) delete env.NODE_COMPILE_CACHE;
  const result = spawnSync(launch.command, launch.args, { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A program with no import or export, which Node on its own would run as CommonJS without a package.json. */
const STRICT_PROBE = `const word: string = 'hello';
try {
  (word as any)[0] = 'j';
  console.log('sloppy', typeof require);
} catch {
  console.log('strict', typeof require);
}
`;

describe('launchTypeScript', () => {
  it(`runs a TypeScript program and the files it imports on this Node (${process.version}), sandboxed too`, () => {
    const file = join(folder, 'hello.ts');
    writeFileSync(
      file,
      "import { helper } from './helper.ts';\nconst name: string = helper();\nconsole.log(`hello ${name}`);\n",
    );
    writeFileSync(join(folder, 'helper.ts'), "export function helper(): string {\n  return 'world';\n}\n");
    expect(run(file)).toMatchObject({ status: 0, stdout: 'hello world\n' });
    expect(run(file, true)).toMatchObject({ status: 0, stdout: 'hello world\n' });
  });

  it('runs every .ts file as an ES module in strict mode, whatever package.json says or when there is none', () => {
    const bare = join(folder, 'bare');
    const commonjs = join(folder, 'commonjs');
    mkdirSync(bare);
    mkdirSync(commonjs);
    writeFileSync(join(commonjs, 'package.json'), '{ "type": "commonjs" }\n');
    for (const dir of [bare, commonjs]) {
      writeFileSync(join(dir, 'probe.ts'), STRICT_PROBE);
      expect(run(join(dir, 'probe.ts'))).toMatchObject({ status: 0, stdout: 'strict undefined\n' });
      expect(run(join(dir, 'probe.ts'), true)).toMatchObject({ status: 0, stdout: 'strict undefined\n' });
    }
  });

  it("keeps each file's stripped JavaScript in the compile cache's folder, and later programs run what it holds", () => {
    const cache = join(folder, 'cache');
    const file = join(folder, 'cached.ts');
    writeFileSync(
      file,
      "import { helper } from './helper.ts';\nconst name: string = helper();\nconsole.log(`hi ${name}`);\n",
    );
    expect(run(file, true, cache)).toEqual({ status: 0, stdout: 'hi world\n', stderr: '' });
    const stripped = join(cache, 'stripped');
    const kept = readdirSync(stripped).map((name) => join(stripped, name));
    expect(kept).toHaveLength(2);
    const read = (path: string): { typescript: string; javascript: string } => JSON.parse(readFileSync(path, 'utf8'));
    const main = kept.find((path) => read(path).typescript.includes('console.log'))!;
    // Whitespace where the types were: a stack trace's line and column are the same as in the .ts file.
    expect(read(main).javascript).toBe(
      "import { helper } from './helper.ts';\nconst name         = helper();\nconsole.log(`hi ${name}`);\n",
    );
    // The program runs what the cache holds for its exact content: Node does not strip it again.
    const changed = { ...read(main), javascript: read(main).javascript.replace('hi', 'from the cache,') };
    writeFileSync(main, JSON.stringify(changed));
    expect(run(file, false, cache)).toEqual({ status: 0, stdout: 'from the cache, world\n', stderr: '' });
    // Kept for other TypeScript under the same key: not used, and stripped again.
    writeFileSync(main, JSON.stringify({ ...changed, typescript: `${changed.typescript} ` }));
    expect(run(file, false, cache)).toEqual({ status: 0, stdout: 'hi world\n', stderr: '' });
  });

  it("strips in Node's own way what it cannot keep: a file that does not compile fails as without a cache", () => {
    const cache = join(folder, 'cache-for-errors');
    const file = join(folder, 'enum.ts');
    writeFileSync(file, 'enum Colour {\n  Red,\n}\nconsole.log(Colour.Red);\n');
    const without = run(file, true);
    expect(without.status).toBe(1);
    expect(run(file, true, cache)).toEqual(without);
  });

  it("stops a program that does not compile, and the report reads Node's file:line:col and words", () => {
    const broken = join(folder, 'broken.ts');
    writeFileSync(broken, "console.log('hi');\nconst port;\n");
    const result = run(broken);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(compileError(result.stderr.split('\n'), folder)).toBe(
      "broken.ts:2:7: 'const' declarations must be initialized",
    );
  });

  it('stops a program Node cannot strip (an enum over several lines: no caret, so no column), and says why', () => {
    const file = join(folder, 'colours.ts');
    writeFileSync(file, "console.log('hi');\nenum Colour {\n  Red,\n  Green,\n}\nconsole.log(Colour.Red);\n");
    const result = run(file, true);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(compileError(result.stderr.split('\n'), folder)).toMatch(
      /^colours\.ts:2: TypeScript enum is not supported in strip-only mode \(Node runs a \.ts file by erasing its types/,
    );
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
