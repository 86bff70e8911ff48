// The folders of scripts/ import one way: each may import only from folders below it in LAYERS, never above.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.ts';

/**
 * The order, lowest first. A module may import from its own folder and from any folder listed before it. `.` is the
 * commands themselves (scripts/NAME.ts), at the top; a folder inside one (web/assets) belongs to it.
 */
const LAYERS = [
  'preload', // loaded into the learner's program: it imports nothing from the rest
  'cli', // the Node floor, checked in plain JavaScript before any command's TypeScript loads
  'kernel', // errors, argument parsing, text helpers, colours
  'transcript', // the transcript format: parse, format, bytes, placeholders
  'run', // a program as a process: launch, output, preload messages, ports, waiting, Ctrl-C
  'scenario', // one transcript against one program, and its failure in words
  'course', // the course on disk: lessons, progress, hints, starters, the lesson watch
  'grade', // many scenarios at once: stages, learners, isolation, grades
  'sandbox', // a learner's grading on its own, in bubblewrap where it can: the grader inside, and the one outside
  'diagram', // sequence diagrams, and README code blocks as both screens show them
  'terminal', // what a person reads in the terminal
  'reporters', // a class's grades as a table, JSON, JUnit or a Classroom result
  'web', // npm run web
  'proof', // npm run check -- --solutions: the workbook proves itself
  'mutation', // npm run mutate: StrykerJS over a lesson's reference
  'load', // npm run load
  'bench', // npm run bench: timed runs that must pass
  '.', // the commands
];

const SCRIPTS = join(ROOT, 'scripts');
const MODULE = /\.(?:[mc]?ts|[mc]?js)$/;

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return MODULE.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name) ? [path] : [];
  });
}

/** The folder of scripts/ a file belongs to: its first path segment, or `.` for a command. */
function folderOf(file: string): string {
  const parts = relative(SCRIPTS, file).split(sep);
  return parts.length === 1 ? '.' : parts[0];
}

/** Every relative import of a module (static, dynamic, type-only, re-exports), as written, comments ignored. */
function relativeImports(text: string): string[] {
  const { module } = parseSync('module.ts', text);
  const dynamic = module.dynamicImports.map(({ moduleRequest }) =>
    text.slice(moduleRequest.start, moduleRequest.end).replace(/^['"`]|['"`]$/g, ''),
  );
  return [
    ...module.staticImports.map((entry) => entry.moduleRequest.value),
    ...module.staticExports.flatMap((entry) => entry.entries.map((part) => part.moduleRequest?.value ?? '')),
    ...dynamic,
  ].filter((name) => name.startsWith('.'));
}

/** The first import that runs the wrong way, in words naming both files, or undefined when all run one way. */
function wrongImport(files: { file: string; text: string }[], layers = LAYERS): string | undefined {
  for (const { file, text } of files) {
    const from = folderOf(file);
    const own = layers.indexOf(from);
    if (own < 0) return `scripts/${from}/ is not in the layer order: add it to LAYERS in test/layers.test.ts`;
    for (const specifier of relativeImports(text)) {
      const target = resolve(dirname(file), specifier);
      const shown = `${relative(ROOT, file)} imports ${relative(ROOT, target)}`;
      if (relative(SCRIPTS, target).startsWith('..')) return `${shown}, outside scripts/`;
      const to = folderOf(target);
      if (layers.indexOf(to) > own)
        return `${shown}: ${from} may not import ${to}, which is above it (${layers.join(' < ')})`;
    }
  }
  return undefined;
}

describe('the import graph of scripts/', () => {
  const files = modules(SCRIPTS)
    .sort()
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('runs one way: no folder imports a folder above it, so no two folders import each other', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(wrongImport(files)).toBeUndefined();
  });

  it('names both files of the first import that runs the wrong way', () => {
    const kernel = join(SCRIPTS, 'kernel/text.ts');
    const wrong = [{ file: kernel, text: "import type { Lesson } from '../course/lessons.ts';\n" }];
    expect(wrongImport(wrong)).toBe(
      `scripts/kernel/text.ts imports scripts/course/lessons.ts: kernel may not import course, which is above it (${LAYERS.join(' < ')})`,
    );
    // A dynamic import counts, a comment does not.
    const dynamic = [{ file: kernel, text: "// from '../web/server.ts'\nawait import('../run/program.ts');\n" }];
    expect(wrongImport(dynamic)).toMatch(/^scripts\/kernel\/text\.ts imports scripts\/run\/program\.ts: /);
    expect(wrongImport([{ file: join(SCRIPTS, 'extra/x.ts'), text: '' }])).toMatch(/scripts\/extra\/ is not in/);
  });

  it('is the order CONTRIBUTING.md lists, one line per folder', () => {
    const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const section = contributing.split(/^## /m).find((part) => part.startsWith('The layers of scripts/'));
    expect(section, 'CONTRIBUTING.md has a "## The layers of scripts/" section').toBeDefined();
    const listed = [...section!.matchAll(/^- `([\w./]+?)\/?`:/gm)].map(([, name]) => name);
    expect(listed).toEqual([...LAYERS.slice(0, -1), 'scripts/NAME.ts']);
  });

  it('keeps the preload apart: it imports nothing from the rest, since it runs inside the learner program', () => {
    const preload = files.filter(({ file }) => folderOf(file) === 'preload');
    expect(preload.length).toBeGreaterThan(0);
    for (const { file, text } of preload)
      for (const specifier of relativeImports(text))
        expect(folderOf(resolve(dirname(file), specifier))).toBe('preload');
  });
});
