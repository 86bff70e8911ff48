// A lesson's mutants read as mistakes: each patch's header (`# Mistake: ...`, `# Fails: ...`) and its one file's diff.
// The proof runs them (proof/variants); the page shows them after a pass as the mistakes the check would catch.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parsePatch, type StructuredPatch } from 'diff';
import { VARIANT_FOLDERS } from './files.ts';
import type { Lesson } from './lessons.ts';

export interface HeaderLine {
  key: string;
  value: string;
}

/** The `// Key: value` lines at the top of a program, or the `# Key: value` lines at the top of a patch. */
export function readHeader(text: string, mark: '//' | '#' = '//'): HeaderLine[] {
  const header: HeaderLine[] = [];
  const pattern = new RegExp(`^${mark === '#' ? '#' : '//'} ([A-Z][A-Za-z ]*?): (.+)$`);
  for (const line of text.split(/\r?\n/)) {
    const match = pattern.exec(line);
    if (!match) break;
    header.push({ key: match[1], value: match[2].trim() });
  }
  return header;
}

/** A mutant's patch, read: its header, the one file it changes (a path from the course root) and its hunks. */
export interface MutantPatch {
  header: HeaderLine[];
  target: string;
  patch: StructuredPatch;
}

/** Reads a mutant's .diff: `# Key: value` lines, then one file's diff as git writes it; a string says what is wrong. */
export function readMutantPatch(text: string): MutantPatch | string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.startsWith('diff --git '));
  const header = readHeader(lines.slice(0, Math.max(start, 0)).join('\n'), '#');
  if (start < 0)
    return 'has no diff: after its `# Key: value` lines comes `diff --git a/FILE b/FILE` and the diff of that one file';
  if (header.length < start)
    return `line ${header.length + 1} is neither a header line \`# Key: value\` nor the diff's first line \`diff --git a/FILE b/FILE\``;
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(lines.slice(start).join('\n'));
  } catch (error) {
    // jsdiff counts lines from the diff's first line; the author's editor counts from the file's.
    const message = (error as Error).message.replace(/line (\d+)/, (_, line) => `line ${Number(line) + start}`);
    return `is not a unified diff (${message})`;
  }
  if (patches.length !== 1) return `changes ${patches.length} files: a mutant's patch changes one`;
  const [patch] = patches;
  const target = /^diff --git a\/(\S+) b\/\1$/.exec(lines[start])?.[1];
  if (!target || patch.oldFileName !== `a/${target}` || patch.newFileName !== `b/${target}`)
    return 'must name the file it changes from the course root, the same on every line: `diff --git a/solutions/NN-slug/FILE.ts b/solutions/NN-slug/FILE.ts`, `--- a/...`, `+++ b/...`';
  return { header, target, patch };
}

/** One of the lesson's mutants, as a learner reads it: the mistake in a sentence, where it is caught, its patch. */
export interface Mistake {
  name: string;
  mistake: string;
  /** `echo.txt:11`: where the check first catches it. */
  caughtAt: string[];
  patch: StructuredPatch;
}

/** The lesson's mutants that read cleanly, in name order; one with a broken header or patch is the proof's to report. */
export function lessonMistakes(lesson: Lesson): Mistake[] {
  const folder = join(lesson.solutionDir, VARIANT_FOLDERS.mutant);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.diff'))
    .sort()
    .flatMap((name) => {
      const read = readMutantPatch(readFileSync(join(folder, name), 'utf8'));
      if (typeof read === 'string') return [];
      const value = (key: string): string[] => read.header.filter((line) => line.key === key).map((line) => line.value);
      const [mistake] = value('Mistake');
      return mistake ? [{ name: basename(name, '.diff'), mistake, caughtAt: value('Fails'), patch: read.patch }] : [];
    });
}
