// Notes that help an instructor judge a grade: imports from outside a lesson, copies of the solution or of a classmate.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lesson } from '../course/lessons.ts';
import { isInside } from '../scenario/confine.ts';
import type { Learner } from './learners.ts';

const SOURCE = /\.[mc]?[jt]s$/;
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"`])([^'"`\n]+)\1/g;

/**
 * Comments and whitespace removed: two files that differ only in those are the same work. One pass, so a file full
 * of `/*` that never closes takes as long as any other (a regular expression would try every one to the end).
 */
export function normalise(text: string): string {
  let out = '';
  for (let at = 0; at < text.length;) {
    const char = text[at];
    if (char === '/' && text[at + 1] === '*') {
      const end = text.indexOf('*/', at + 2);
      at = end < 0 ? text.length : end + 2;
    } else if (char === '/' && text[at + 1] === '/' && !/[:'"\\]/.test(text[at - 1] ?? '')) {
      const end = text.indexOf('\n', at);
      at = end < 0 ? text.length : end;
    } else {
      if (!/\s/.test(char)) out += char;
      at++;
    }
  }
  return out;
}

/** The most of a file compared: larger ones are not copied for grading either, and the copy's notes say so. */
const MOST_BYTES = 1 << 20;

/** The lesson's own source files in a learner's copy (links were refused before grading), relative to the lesson. */
function sources(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .filter((entry) => statSync(join(entry.parentPath, entry.name)).size <= MOST_BYTES)
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

/** Where a file's imports lead outside its own lesson folder: node: and package names are fine. */
export function outsideImports(file: string, folder: string): string[] {
  const found: string[] = [];
  for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
    const path = specifier.startsWith('file:')
      ? fileURLToPath(specifier)
      : specifier.startsWith('.') || isAbsolute(specifier)
        ? resolve(dirname(file), specifier)
        : undefined;
    if (path !== undefined && !isInside(path, folder)) found.push(specifier);
  }
  return found;
}

const hash = (text: string): string => createHash('sha256').update(normalise(text)).digest('hex');

/** Every learner's notes of this kind, by learner dir. */
export function cheatNotes(learners: Learner[], lessons: Lesson[], root: string): Map<string, string[]> {
  const notes = new Map(learners.map((learner) => [learner.dir, [] as string[]]));
  // lesson file → hash of the work → learners who handed it in.
  const seen = new Map<string, Map<string, Learner[]>>();
  for (const learner of learners) {
    for (const lesson of lessons) {
      const folder = join(learner.dir, 'lessons', lesson.slug);
      for (const name of sources(folder)) {
        const file = join(folder, name);
        const where = `lessons/${lesson.slug}/${name}`;
        const outside = outsideImports(file, folder);
        if (outside.length > 0)
          notes.get(learner.dir)!.push(`${where} imports from outside its lesson folder: ${outside.join(', ')}`);
        const text = readFileSync(file, 'utf8');
        const solution = join(root, 'solutions', lesson.slug, name);
        const starter = join(lesson.dir, name);
        if (existsSync(solution) && normalise(readFileSync(solution, 'utf8')) === normalise(text)) {
          notes.get(learner.dir)!.push(`${where} is the reference solution, apart from whitespace and comments`);
          continue;
        }
        // An untouched starter is the same for everyone: not a copy.
        if (existsSync(starter) && normalise(readFileSync(starter, 'utf8')) === normalise(text)) continue;
        const byHash = seen.get(where) ?? new Map<string, Learner[]>();
        seen.set(where, byHash);
        byHash.set(hash(text), [...(byHash.get(hash(text)) ?? []), learner]);
      }
    }
  }
  for (const [where, byHash] of seen) {
    for (const group of byHash.values()) {
      if (group.length < 2) continue;
      for (const learner of group) {
        const others = group.filter((other) => other !== learner).map((other) => other.name);
        notes
          .get(learner.dir)!
          .push(`${where} is the same as ${others.join(', ')}'s, apart from whitespace and comments`);
      }
    }
  }
  return notes;
}
