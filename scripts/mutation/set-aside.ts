// The survivors a lesson sets aside as equivalent: solutions/NN-slug/equivalent-mutants.json, each with its reason.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WorkbookError } from '../kernel/errors.ts';
import { SET_ASIDE_FILE } from '../course/files.ts';
import type { Lesson } from '../course/lessons.ts';

/** Named in scripts/course/files.ts too, which lets it stand beside the solution's programs. */

/** One set-aside mutant, named by what it changes (not by line, which moves whenever the code above it does). */
export interface SetAside {
  /** The solution's file, relative to its folder: `server.ts`. */
  file: string;
  mutator: string;
  /** The code the mutant replaces, and what it puts there, whitespace squeezed. */
  original: string;
  replacement: string;
  /** One line: why no correct check can tell this mutant from the reference. */
  why: string;
}

/** The code with every run of whitespace made one space: a re-indented line still matches. */
export const squeeze = (code: string): string => code.replace(/\s+/g, ' ').trim();

export function setAsideFile(lesson: Lesson): string {
  return join(lesson.solutionDir, SET_ASIDE_FILE);
}

/** The lesson's list, checked entry by entry; none when the file does not exist. */
export function readSetAside(lesson: Lesson, root: string): SetAside[] {
  const file = setAsideFile(lesson);
  if (!existsSync(file)) return [];
  const where = relative(root, file);
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new WorkbookError(`${where} is not valid JSON (${(error as Error).message}): fix it, then run again`);
  }
  if (!Array.isArray(entries)) throw new WorkbookError(`${where} must hold a JSON array of set-aside mutants`);
  return entries.map((entry: Record<string, unknown>, index) => {
    const missing = ['file', 'mutator', 'original', 'replacement', 'why'].filter(
      (key) => typeof entry?.[key] !== 'string' || (entry[key] as string).trim() === '',
    );
    if (missing.length > 0)
      throw new WorkbookError(`${where}, entry ${index + 1}: needs ${missing.join(', ')} (each a non-empty string)`);
    return entry as unknown as SetAside;
  });
}

export interface MutantKey {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
}

export function matches(entry: SetAside, mutant: MutantKey): boolean {
  return (
    entry.file === mutant.file &&
    entry.mutator === mutant.mutator &&
    squeeze(entry.original) === squeeze(mutant.original) &&
    squeeze(entry.replacement) === squeeze(mutant.replacement)
  );
}

/** The entry to paste into the list for a survivor, with the reason left for the author to write. */
export function entryFor(mutant: MutantKey): string {
  const entry = {
    file: mutant.file,
    mutator: mutant.mutator,
    original: squeeze(mutant.original),
    replacement: squeeze(mutant.replacement),
    why: 'WHY NO CORRECT CHECK CAN TELL IT FROM THE REFERENCE',
  };
  return JSON.stringify(entry);
}
