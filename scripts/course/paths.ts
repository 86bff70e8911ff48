// The course as the path it is: which lesson's program each lesson starts from, as a column and as chains.
import { twoDigits, type Lesson } from './lessons.ts';
import { wrapWords } from '../kernel/text.ts';

const WIDTH = 80;

export type BuildsOn = Map<number, number | null | undefined>;

/** The "builds on" cell: the lesson number, `new` for a new program, `?` when the README does not say. */
export function buildsOnCell(from: number | null | undefined): string {
  return from === undefined ? '?' : from === null ? 'new' : twoDigits(from);
}

/**
 * The course as the path it is: one chain of lessons per program, from a lesson that starts a new program to one
 * that nothing builds on, e.g. `[12, 13, 17]`. A lesson two others build on starts each of their chains; lessons
 * that nothing builds on and that build on nothing are `alone`.
 */
export function courseChains(lessons: Lesson[], buildsOn: BuildsOn): { chains: number[][]; alone: number[] } {
  const numbers = new Set(lessons.map((lesson) => lesson.number));
  const parentOf = (n: number): number | undefined => {
    const from = buildsOn.get(n);
    return typeof from === 'number' && numbers.has(from) && from < n ? from : undefined;
  };
  const hasChild = new Set(lessons.map((lesson) => parentOf(lesson.number)).filter((n) => n !== undefined));
  const all = lessons
    .filter((lesson) => !hasChild.has(lesson.number))
    .map((leaf) => {
      const chain = [leaf.number];
      for (let up = parentOf(leaf.number); up !== undefined; up = parentOf(up)) chain.unshift(up);
      return chain;
    })
    .sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0));
  return {
    chains: all.filter((chain) => chain.length > 1),
    alone: all.filter((chain) => chain.length === 1).map(([n]) => n),
  };
}

/** The chains as `npm run progress` prints them: `  01 > 02 > ...`, then `  on their own: 15, 16`. */
export function coursePaths(lessons: Lesson[], buildsOn: BuildsOn): string[] {
  const { chains, alone } = courseChains(lessons, buildsOn);
  const paths = chains.map((chain) =>
    wrapWords(chain.map(twoDigits), WIDTH, { first: '  ', rest: '      ', joiner: ' > ' }),
  );
  return alone.length > 0 ? [...paths, `  on their own: ${alone.map(twoDigits).join(', ')}`] : paths;
}
