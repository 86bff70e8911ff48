// npm run mutant: writes a mutant of the proof as a patch, from an edited copy or again after its file moved on.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { applyPatch, diffLines, structuredPatch } from 'diff';
import { parseCommandLine, type CommandHelp } from './cli/args.ts';
import { EXIT, runMain, WorkbookError } from './cli/errors.ts';
import { listLessons, WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { loadScenarios } from './grade/stage.ts';
import {
  applyMutantPatch,
  parseFailsAt,
  readMutantPatch,
  remakeCommand,
  VARIANT_FOLDERS,
  type HeaderLine,
  type MutantPatch,
} from './grade/variants.ts';

const HELP: CommandHelp = {
  usage:
    'npm run mutant -- PATCH --from EDITED.ts [--mistake TEXT] [--fails TRANSCRIPT.txt:LINE ...] [--of FILE] | PATCH --remake',
  about:
    "Writes a mutant of the proof (npm run check -- --solutions) as solutions/NN-slug/mutants/NAME.diff: a header, then the difference between a solution's program (or alternative) and an edited copy of it.",
  flags: [
    ['--from FILE', "an edited copy of one of the lesson's programs or alternatives, with the mistake made in it"],
    ['--mistake TEXT', "the mistake in one sentence (a new patch needs it; default: the patch's own)"],
    ['--fails T.txt:LINE', 'the step that must catch it first, or T.txt:end; repeat it for "any one of these"'],
    ['--not-on-node N', "skip it on Node line N, where Node behaves otherwise (default: the patch's own; '' drops it)"],
    ['--of FILE', 'the file the copy was made from (default: the program or alternative it differs least from)'],
    ['--remake', 'write PATCH again against its file as it is now, once an edit near the mistake stopped it applying'],
    ['--root DIR', 'the course (default: this workbook)'],
  ],
  example:
    'npm run mutant -- solutions/12-line-protocol/mutants/one-line-per-chunk.diff --from /tmp/server.ts --mistake "each chunk is taken as one line." --fails lines-in-one-write.txt:7',
};

/** Looser and looser, up to this many context lines that differ; the removed lines themselves must still be there. */
const MAX_FUZZ = 3;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      from: { type: 'string' },
      mistake: { type: 'string' },
      fails: { type: 'string', multiple: true },
      'not-on-node': { type: 'string' },
      of: { type: 'string' },
      remake: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
    HELP,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  if (positionals.length !== 1)
    throw new WorkbookError('name one patch, solutions/NN-slug/mutants/NAME.diff (see npm run mutant -- --help)');
  const file = resolve(positionals[0]);
  const where = posix(relative(root, file));
  const lesson = listLessons(root).find((candidate) => dirname(file) === join(candidate.solutionDir, 'mutants'));
  if (!file.endsWith('.diff') || !lesson)
    throw new WorkbookError(`${positionals[0]} is not solutions/NN-slug/mutants/NAME.diff of a lesson of ${root}`);
  if (values.remake === (values.from !== undefined))
    throw new WorkbookError('give --from EDITED.ts (a new mistake, or a changed one) or --remake (its file moved on)');
  const old = existsSync(file) ? readMutantPatch(readFileSync(file, 'utf8')) : undefined;
  if (typeof old === 'string' && (values.remake || !values.mistake || !values.fails))
    throw new WorkbookError(`${where} ${old}: write it from an edited copy with --from, --mistake and --fails`);
  if (values.remake && !old)
    throw new WorkbookError(`${where} does not exist: write it from an edited copy with --from`);
  const header = headerOf(lesson, typeof old === 'object' ? old.header : [], values);
  const candidates = filesToMutate(lesson, root);

  let target: string;
  let before: string;
  let after: string;
  if (values.remake) {
    ({ target, before, after } = remade(old as MutantPatch, where, candidates, root));
  } else {
    const from = resolve(values.from!);
    if (!existsSync(from) || !statSync(from).isFile()) throw new WorkbookError(`--from ${values.from}: no such file`);
    after = readFileSync(from, 'utf8');
    target = chooseTarget(after, candidates, values.of, root);
    if (resolve(root, target) === from)
      throw new WorkbookError(`--from ${values.from} is ${target} itself: make the mistake in a copy of it`);
    before = readFileSync(join(root, target), 'utf8');
    if (after === before)
      throw new WorkbookError(`--from ${values.from} is the same as ${target}: make the mistake in it first`);
  }
  const text = formatMutant(header, target, before, after);
  // What the proof will do with it: the patch must give back exactly the program it was made from.
  const check = readMutantPatch(text);
  const applied = typeof check === 'object' && applyMutantPatch(before, check.patch);
  if (!applied || !('text' in applied) || applied.text !== after)
    throw new Error(`the patch written for ${where} does not give back its program`);
  // A lesson's first mutant makes its folder.
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const changes = changedLines(before, after);
  const chosen =
    values.from !== undefined && values.of === undefined
      ? ' (the file the copy differs least from; --of FILE to name another)'
      : '';
  console.log(`${where}: ${changes} line(s) changed in ${target}${chosen}.`);
  if (values.remake) console.log(text.slice(text.indexOf('\n@@') + 1).trimEnd());
  console.log(
    `Prove it: npm run check -- --solutions (it must fail at ${header
      .filter((h) => h.key === 'Fails')
      .map((h) => h.value)
      .join(' or ')}).`,
  );
  return EXIT.pass;
}

const posix = (path: string): string => path.split('\\').join('/');

/** The header the patch gets: each flag given, else the old patch's line; a new patch needs a mistake and a step. */
function headerOf(
  lesson: Lesson,
  old: HeaderLine[],
  values: { mistake?: string; fails?: string[]; 'not-on-node'?: string },
): HeaderLine[] {
  const kept = (key: string): string[] => old.filter((line) => line.key === key).map((line) => line.value);
  const mistake = values.mistake?.trim() ?? kept('Mistake')[0];
  if (!mistake || /[\r\n]/.test(mistake))
    throw new WorkbookError(
      '--mistake takes the mistake in one sentence, on one line, e.g. --mistake "it never replies."',
    );
  const fails = values.fails ?? kept('Fails');
  if (fails.length === 0)
    throw new WorkbookError('--fails takes the step that must catch it first, e.g. --fails one-client.txt:7');
  const scenarios = loadScenarios(lesson);
  for (const at of fails) {
    const failsAt = parseFailsAt(at, scenarios);
    if (typeof failsAt === 'string') throw new WorkbookError(`--fails ${at}: ${failsAt}`);
  }
  const notOn = values['not-on-node']?.trim() ?? kept('Not on Node')[0];
  if (notOn && !/^\d+(?:[\s,]+\d+)*(?: \(.+\))?$/.test(notOn))
    throw new WorkbookError(
      `--not-on-node takes Node major versions, e.g. 24, and a reason in brackets; got '${notOn}'`,
    );
  return [
    { key: 'Mistake', value: mistake },
    ...fails.map((value) => ({ key: 'Fails', value })),
    ...(notOn ? [{ key: 'Not on Node', value: notOn }] : []),
  ];
}

/** The files a mutant may change, from the course root: the lesson's programs, then its alternatives. */
function filesToMutate(lesson: Lesson, root: string): string[] {
  const programs = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.ts'))
          .sort()
      : [];
  const alternatives = join(lesson.solutionDir, VARIANT_FOLDERS.alternative);
  return [
    ...programs(lesson.solutionDir).map((name) => join(lesson.solutionDir, name)),
    ...programs(alternatives).map((name) => join(alternatives, name)),
  ].map((path) => posix(relative(root, path)));
}

/** The lines an edit adds and removes. */
function changedLines(before: string, after: string): number {
  return diffLines(before, after)
    .filter((part) => part.added || part.removed)
    .reduce((sum, part) => sum + (part.count ?? 0), 0);
}

/** `--of`, or the candidate the edited copy differs least from (the lesson's programs before its alternatives). */
function chooseTarget(edited: string, candidates: string[], of: string | undefined, root: string): string {
  if (of !== undefined) {
    const named = posix(relative(root, resolve(of)));
    if (!candidates.includes(named))
      throw new WorkbookError(`--of ${of} is not one of the files this mutant may change: ${candidates.join(', ')}`);
    return named;
  }
  const sizes = candidates.map((path) => changedLines(readFileSync(join(root, path), 'utf8'), edited));
  return candidates[sizes.indexOf(Math.min(...sizes))];
}

/** The old patch applied to its file as it is now, as loosely as it takes: the removed lines must still be there. */
function remade(old: MutantPatch, where: string, candidates: string[], root: string) {
  if (!candidates.includes(old.target))
    throw new WorkbookError(
      `${where} changes ${old.target}, which is not one of this lesson's programs or alternatives`,
    );
  const before = readFileSync(join(root, old.target), 'utf8');
  for (let fuzz = 0; fuzz <= MAX_FUZZ; fuzz++) {
    const applied = applyMutantPatch(before, old.patch, fuzz);
    if ('text' in applied) return { target: old.target, before, after: applied.text };
    if ('unchanged' in applied)
      throw new WorkbookError(
        `${where} changes nothing in ${old.target}: make it again, ${remakeCommand(where, 'from')}`,
      );
  }
  // Loosest: any context at all, where every hunk removes a line to place it by (jsdiff wants the lines next to an
  // insertion exact, however fuzzy, and those are the lines an edit beside the mistake changes).
  if (old.patch.hunks.every((hunk) => hunk.lines.some((line) => line.startsWith('-')))) {
    const compareLine = (_: number, line: string, operation: string, content: string): boolean =>
      operation === '-' ? line === content : line !== undefined;
    const after = applyPatch(before, old.patch, { compareLine });
    if (after !== false && after !== before) return { target: old.target, before, after };
  }
  throw new WorkbookError(
    `${where} no longer fits ${old.target}: the lines it changes are gone. Copy ${old.target}, make the mistake the old patch shows again, then ${remakeCommand(where, 'from')}`,
  );
}

/** The patch as `git diff` writes it for the file edited in place: paths from the course root, blob ids, hunks. */
function formatMutant(header: HeaderLine[], target: string, before: string, after: string): string {
  const patch = structuredPatch(`a/${target}`, `b/${target}`, before, after, undefined, undefined, { context: 3 });
  const oldLines = before.split('\n');
  // A range as git writes it: `start` for one line, `start,count` else, and the line before for none.
  const range = (start: number, count: number): string =>
    count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
  const lines = [
    ...header.map(({ key, value }) => `# ${key}: ${value}`),
    `diff --git a/${target} b/${target}`,
    `index ${blobId(before)}..${blobId(after)} 100644`,
    `--- a/${target}`,
    `+++ b/${target}`,
  ];
  for (const hunk of patch.hunks) {
    const context = enclosingLine(oldLines, hunk.oldStart - 1);
    const ranges = `-${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)}`;
    lines.push(`@@ ${ranges} @@${context ? ` ${context}` : ''}`, ...hunk.lines);
  }
  return `${lines.join('\n')}\n`;
}

/** git's object id of a file's text, abbreviated as git does outside a repository. */
function blobId(text: string): string {
  const bytes = Buffer.from(text);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex').slice(0, 7);
}

/** git's default hunk context: the nearest line above the hunk that starts a declaration (a letter, `_` or `$`). */
function enclosingLine(lines: string[], firstLine: number): string {
  for (let index = firstLine - 1; index >= 0; index--)
    if (/^[A-Za-z_$]/.test(lines[index]))
      return Buffer.from(lines[index])
        .subarray(0, 80)
        .toString()
        .replace(/[\s]+$/, '');
  return '';
}

runMain(main);
