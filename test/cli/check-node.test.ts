// The Node floor: every command checks the running Node first, and below 22.18 says what to do in one line, exit 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOOR, floorMessage } from '../../scripts/cli/check-node.mjs';
import { COMMAND_PRELOAD, ROOT } from '../support.ts';

const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const scratch = mkdtempSync(join(tmpdir(), 'workbook-check-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A preload that makes this Node say it is `version`, as an older Node would. */
function pretend(version: string): string[] {
  const file = join(scratch, `pretend-${version}.mjs`);
  writeFileSync(file, `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });\n`);
  return ['--import', pathToFileURL(file).href];
}

/** A Node below the floor on PATH or in /usr/bin (the machine's own, where CI puts a newer one first), if any. */
function olderNode(): { path: string; version: string } | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const path of folders.map((folder) => join(folder, 'node')).filter((file) => existsSync(file))) {
    const version = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
    if (version && floorMessage(version)) return { path, version };
  }
  return undefined;
}

describe('floorMessage', () => {
  it('is nothing on the floor and above', () => {
    for (const version of ['22.18.0', '22.23.5', '24.0.0', '26.12.1', '30.1.0'])
      expect(floorMessage(version)).toBe(undefined);
  });

  it('below the floor, names the version found, the one needed and where to get one, in one line', () => {
    for (const version of ['20.20.2', '22.17.1', '18.0.0', '21.9.0']) {
      const message = floorMessage(version)!;
      expect(message).toContain(`needs Node ${FLOOR} or newer, and this is Node ${version}.`);
      expect(message).toMatch(/https:\/\/nodejs\.org.*fnm or nvm.*NodeSource/);
      expect(message).not.toContain('\n');
    }
  });

  it("is package.json's engines field", () => {
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines;
    expect(engines.node).toBe(`>=${FLOOR}`);
  });
});

describe('every npm command', () => {
  it('checks the Node version before anything else: node scripts/NAME.ts behind the check, the rest after it', () => {
    for (const [name, command] of Object.entries(scripts)) {
      // `npm run floor` is the benchmark's bare `node -e 0`, the cost of starting Node and nothing more.
      if (name === 'floor') continue;
      const script = /^node (.+) (scripts\/[\w-]+\.ts)$/.exec(command);
      if (script) {
        expect(script[1], name).toBe(COMMAND_PRELOAD.join(' '));
        expect(existsSync(join(ROOT, script[2])), script[2]).toBe(true);
      } else expect(command, name).toMatch(/^node scripts\/cli\/check-node\.mjs && \S/);
    }
  });

  it('on a Node below the floor prints the one line and exits with code 2, before any TypeScript loads', () => {
    const lesson = spawnSync(process.execPath, [...pretend('20.20.2'), ...COMMAND_PRELOAD, 'scripts/lesson.ts', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(lesson.status).toBe(2);
    expect(lesson.stdout).toBe('');
    expect(lesson.stderr).toBe(`${floorMessage('20.20.2')}\n`);
    const tools = spawnSync(process.execPath, [...pretend('22.17.1'), 'scripts/cli/check-node.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tools.status).toBe(2);
    expect(tools.stderr).toBe(`${floorMessage('22.17.1')}\n`);
  });

  it('on a real Node below the floor, when this machine has one, prints the one line and exits with code 2', () => {
    const older = olderNode();
    if (!older) return;
    const lesson = spawnSync(older.path, [...COMMAND_PRELOAD, 'scripts/lesson.ts', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(lesson.stderr).toBe(`${floorMessage(older.version)}\n`);
    expect(lesson.status).toBe(2);
  });

  it('on this Node lets the command run', () => {
    const help = spawnSync(process.execPath, [...COMMAND_PRELOAD, 'scripts/lesson.ts', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(spawnSync(process.execPath, ['scripts/cli/check-node.mjs'], { cwd: ROOT }).status).toBe(0);
  });
});
