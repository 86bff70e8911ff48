// The shape of scripts/: folders of at most 10 modules, modules of at most 300 lines, each opening with its purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.ts';

const SCRIPTS = join(ROOT, 'scripts');
const MOST_MODULES = 10;
const MOST_LINES = 300;

const isModule = (name: string): boolean => /\.(?:[mc]?ts|[mc]?js)$/.test(name) && !/\.d\.[mc]?ts$/.test(name);

/** Every folder under scripts/ (not scripts/ itself, the commands' own), with the modules directly in it. */
function folders(dir: string): { folder: string; modules: string[] }[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.filter((entry) => entry.isFile() && isModule(entry.name)).map((entry) => join(dir, entry.name));
  const below = entries.filter((entry) => entry.isDirectory()).flatMap((entry) => folders(join(dir, entry.name)));
  return [{ folder: relative(SCRIPTS, dir), modules: here }, ...below];
}

describe('the modules of scripts/', () => {
  const all = folders(SCRIPTS);
  const modules = all
    .flatMap(({ modules }) => modules)
    .map((file) => ({
      name: relative(SCRIPTS, file),
      lines: readFileSync(file, 'utf8').replace(/\n$/, '').split('\n'),
    }));

  it(`keeps every folder to ${MOST_MODULES} modules`, () => {
    const crowded = all
      .filter(({ folder, modules }) => folder !== '' && modules.length > MOST_MODULES)
      .map(({ folder, modules }) => `scripts/${folder}/ holds ${modules.length} modules`);
    expect(crowded).toEqual([]);
  });

  it(`keeps every module to ${MOST_LINES} lines`, () => {
    const long = modules.filter(({ lines }) => lines.length > MOST_LINES);
    expect(long.map(({ name, lines }) => `scripts/${name} has ${lines.length} lines`)).toEqual([]);
  });

  it('opens every module with one line, a whole sentence, saying what it is for', () => {
    const unclear = modules
      .filter(({ lines }) => !/^\/\/ \S.{15,}\.$/.test(lines[0]))
      .map(({ name, lines }) => `scripts/${name}: ${lines[0]}`);
    expect(unclear).toEqual([]);
  });
});
