// The lesson file checks: TODO markers in starters, hints, and README blocks that show the real code.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { codeInfo, EVERY_SCENARIO, readHint, readLessonText, transcriptFiles, type Lesson } from './lessons.ts';

/** The proof's own programs beside a solution: mistakes the stage must catch, and correct programs in another style. */
export const VARIANT_FOLDERS = { mutant: 'mutants', alternative: 'alternatives' } as const;
const VARIANT_DIRS: string[] = Object.values(VARIANT_FOLDERS);
/** Beside the programs: the survivors of `npm run mutate` that the lesson sets aside as equivalent. */
export const SET_ASIDE_FILE = 'equivalent-mutants.json';

// `import ... from './x.ts'`, `export ... from './x.ts'`, `import './x.ts'` and `import('./x.ts')`: a lesson file's own.
const LOCAL_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.\/[^'"/]+\.ts)['"]/g;

/**
 * The files programs are made of, in `dir`: each program, then every file of the folder it imports, directly or not
 * (lesson 21's logger.ts imports syslog.ts). What a learner edits to fix those programs.
 */
export function programFiles(dir: string, programs: string[]): string[] {
  const found: string[] = [];
  const visit = (name: string): void => {
    if (found.includes(name)) return;
    found.push(name);
    const path = join(dir, name);
    if (!existsSync(path)) return;
    for (const [, imported] of readFileSync(path, 'utf8').matchAll(LOCAL_IMPORT)) visit(imported.slice(2));
  };
  for (const program of programs) visit(program);
  return found;
}

/** The static half of proving the workbook: files a lesson must have, and READMEs that show the real code. */
export function lessonProblems(lesson: Lesson, root: string): string[] {
  const problems: string[] = [];
  const rel = (path: string): string => relative(root, path);
  const starters = readdirSync(lesson.dir).filter((name) => name.endsWith('.ts'));
  if (starters.length === 0) problems.push(`${rel(lesson.dir)} has no starter .ts file`);
  for (const name of starters) {
    const starter = join(lesson.dir, name);
    if (!readFileSync(starter, 'utf8').includes('// TODO:'))
      problems.push(`${rel(starter)} has no \`// TODO:\` marker to tell the learner where to write`);
    if (!existsSync(join(lesson.solutionDir, name)))
      problems.push(`${rel(starter)} has no solution at ${rel(join(lesson.solutionDir, name))}`);
  }
  if (existsSync(lesson.solutionDir)) {
    for (const name of readdirSync(lesson.solutionDir)) {
      // The proof's own programs: mistakes the stage must catch, and correct programs in another style.
      if (VARIANT_DIRS.includes(name) || name === SET_ASIDE_FILE) continue;
      if (!starters.includes(name))
        problems.push(`${rel(join(lesson.solutionDir, name))} does not mirror a file of ${rel(lesson.dir)}`);
    }
  }
  const readme = join(lesson.dir, 'README.md');
  if (!existsSync(readme)) return [...problems, `${rel(readme)} is missing`];
  const text = readLessonText(lesson);
  if (text.hints.length === 0)
    problems.push(`${rel(readme)} has no hints: add a bulleted list under a \`## Hints\` heading`);
  problems.push(...hintProblems(lesson, text.hints).map((problem) => `${rel(readme)}: ${problem}`));
  for (const block of text.codeBlocks) {
    const { file } = codeInfo(block.info);
    if (!file) continue;
    const shown = join(root, file);
    if (!existsSync(shown)) {
      problems.push(`${rel(readme)}:${block.line}: the block shows ${file}, which does not exist`);
    } else if (!containsRun(readFileSync(shown, 'utf8'), block.text)) {
      problems.push(
        `${rel(readme)}:${block.line}: the block does not match ${file}: copy the lines from the file again`,
      );
    }
  }
  return problems;
}

/**
 * Hints that do not say what they are for: each names its scenarios or files (`*For echo, server.ts:*`), so the
 * learner gets the one for the failure at hand, except an answer to a question (`Question 1: ...`, `Answers: ...`).
 */
function hintProblems(lesson: Lesson, hints: string[]): string[] {
  const scenarios = transcriptFiles(lesson).map((file) => basename(file, '.txt'));
  const files = existsSync(lesson.dir) ? readdirSync(lesson.dir).filter((name) => name.endsWith('.ts')) : [];
  return hints.flatMap((text, index) => {
    const hint = readHint(text, index);
    const words = text.replace(/\s+/g, ' ');
    const start = `hint ${index + 1} ("${words.length > 30 ? `${words.slice(0, 29)}…` : words}")`;
    if (hint.for.length === 0)
      return /^(?:Questions? \d|Answers?\b)/.test(text)
        ? []
        : [`${start} names no scenario or file: start it with *For SCENARIO, FILE.ts:*`];
    return hint.for
      .filter((name) => name !== EVERY_SCENARIO && !scenarios.includes(name) && !files.includes(name))
      .map((name) => `${start} is for ${name}, which is neither a transcript nor a file of the lesson`);
  });
}

/** Whether the excerpt's lines stand, in order and unbroken, somewhere in the file. */
export function containsRun(fileText: string, excerpt: string): boolean {
  const lines = (text: string): string[] =>
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trimEnd());
  const file = lines(fileText);
  const wanted = lines(excerpt.trim() === '' ? '' : excerpt.replace(/^\n+|\n+$/g, ''));
  for (let start = 0; start + wanted.length <= file.length; start++) {
    if (wanted.every((line, offset) => file[start + offset] === line)) return true;
  }
  return false;
}

/** A learner's copy who wrote every reference solution: the lessons, with the solutions' programs written in. */
export function writeSolvedCopy(root: string, dir: string): void {
  cpSync(join(root, 'lessons'), join(dir, 'lessons'), { recursive: true });
  const variants = new Set(VARIANT_DIRS);
  cpSync(join(root, 'solutions'), join(dir, 'lessons'), {
    recursive: true,
    filter: (source) =>
      !relative(root, source)
        .split(/[\\/]/)
        .some((part) => variants.has(part)),
  });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
}
