// Mutants, patches the stage must catch where they say, and alternatives, whole programs that must pass.
// A mutant is a realistic mistake (solutions/NN-slug/mutants/*.diff); an alternative a correct program in another style
// (solutions/NN-slug/alternatives/*.ts).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { applyPatch, type StructuredPatch } from 'diff';
import { VARIANT_FOLDERS } from '../course/files.ts';
import type { Lesson } from '../course/lessons.ts';
import { readHeader, readMutantPatch, type MutantPatch } from '../course/mistakes.ts';

export { readMutantPatch, type HeaderLine, type MutantPatch } from '../course/mistakes.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { Step } from '../transcript/parse.ts';

export type VariantKind = keyof typeof VARIANT_FOLDERS;
/** A mutant's file, and the header mark of each kind: a patch's header is `# Key: value`, a program's `// Key: value`. */
const EXTENSION = { mutant: '.diff', alternative: '.ts' } as const;
const MARK = { mutant: '#', alternative: '//' } as const;
const MUTANT_KEYS = ['Mistake', 'Fails', 'Not on Node'];

/** Where a mutant must first fail: a transcript and the line of its step, or `end` for what is judged after it. */
export interface FailsAt {
  transcript: string;
  line: number | 'end';
}

export interface Variant {
  kind: VariantKind;
  lesson: Lesson;
  name: string;
  file: string;
  /** The mistake (a mutant) or the style (an alternative), in one sentence. */
  about: string;
  /** The solution's file it stands in for. */
  replaces: string;
  /** A mutant's program: its patch applied to the file it mutates. */
  program?: string;
  fails: FailsAt[];
  /** What is wrong with the variant's own header or patch: it is not run until these are fixed. */
  problems: string[];
}

/** The patched text; `unfit` names the first line that is no longer as the patch has it, `unchanged` a patch that changes nothing. */
export function applyMutantPatch(
  source: string,
  patch: StructuredPatch,
  fuzzFactor = 0,
): { text: string } | { unfit: number } | { unchanged: true } {
  const text = applyPatch(source, patch, { fuzzFactor });
  if (text !== false) return text === source ? { unchanged: true } : { text };
  // The first hunk that does not fit on its own (else the first), and in it the first line that differs where it was.
  const hunk =
    patch.hunks.find((one) => applyPatch(source, { ...patch, hunks: [one] }, { fuzzFactor }) === false) ??
    patch.hunks[0];
  const lines = source.split(/\r?\n/);
  const expected = hunk.lines.filter((line) => line[0] === ' ' || line[0] === '-').map((line) => line.slice(1));
  const differs = expected.findIndex((line, index) => lines[hunk.oldStart - 1 + index] !== line);
  return { unfit: hunk.oldStart + Math.max(differs, 0) };
}

/** The command that writes a mutant's patch again, for the messages that ask for it. */
export const remakeCommand = (where: string, how: 'remake' | 'from'): string =>
  `npm run mutant -- ${where} ${how === 'remake' ? '--remake' : '--from EDITED.ts'}`;

export const formatFailsAt = ({ transcript, line }: FailsAt): string => `${transcript}:${line}`;

/** The lesson's mutants and alternatives, each with its header read and checked against the lesson's transcripts. */
export function findVariants(lesson: Lesson, scenarios: { file: string; steps: Step[] }[], root: string): Variant[] {
  const programs = readdirSync(lesson.solutionDir).filter((name) => name.endsWith('.ts'));
  const variants: Variant[] = [];
  for (const kind of ['mutant', 'alternative'] as const) {
    const folder = join(lesson.solutionDir, VARIANT_FOLDERS[kind]);
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder).sort()) {
      const file = join(folder, entry);
      const where = posixPath(relative(root, file));
      const variant: Variant = { kind, lesson, name: entry, file, about: '', replaces: '', fails: [], problems: [] };
      variants.push(variant);
      if (!entry.endsWith(EXTENSION[kind])) {
        variant.problems.push(`${where} is not a ${kind === 'mutant' ? '.diff patch' : '.ts program'}`);
        continue;
      }
      variant.name = basename(entry, EXTENSION[kind]);
      const text = readFileSync(file, 'utf8');
      const read = kind === 'mutant' ? readMutantPatch(text) : { header: readHeader(text) };
      if (typeof read === 'string') {
        variant.problems.push(`${where} ${read}`);
        continue;
      }
      const value = (key: string): string | undefined => read.header.find((line) => line.key === key)?.value;
      const mark = MARK[kind];
      const aboutKey = kind === 'mutant' ? 'Mistake' : 'Alternative';
      variant.about = value(aboutKey) ?? '';
      if (!variant.about)
        variant.problems.push(
          `${where} needs a first line \`${mark} ${aboutKey}: ...\` saying ${kind === 'mutant' ? 'what is wrong' : 'what style it is'}`,
        );
      if (kind === 'mutant')
        for (const { key } of read.header.filter(({ key }) => !MUTANT_KEYS.includes(key)))
          variant.problems.push(`${where}: \`# ${key}:\` is not a mutant's header key (${MUTANT_KEYS.join(', ')})`);
      for (const { key, value: text } of read.header) {
        if (key !== 'Fails') continue;
        const failsAt = parseFailsAt(text, scenarios);
        if (typeof failsAt === 'string') variant.problems.push(`${where}: \`${mark} Fails: ${text}\`: ${failsAt}`);
        else variant.fails.push(failsAt);
      }
      if (kind === 'mutant' && variant.fails.length === 0 && !read.header.some(({ key }) => key === 'Fails'))
        variant.problems.push(
          `${where} needs \`# Fails: TRANSCRIPT.txt:LINE\`: where the stage must first catch the mistake`,
        );
      if (kind === 'alternative') {
        variant.replaces = replacedFile(value('Replaces'), programs);
        if (!variant.replaces)
          variant.problems.push(
            `${where} needs \`// Replaces: FILE\`: the lesson has several programs and no server.ts`,
          );
        else if (!programs.includes(variant.replaces))
          variant.problems.push(
            `${where} replaces ${variant.replaces}, which ${relative(root, lesson.solutionDir)} does not have`,
          );
      } else if ('patch' in read) {
        const problem = patchMutant(variant, read, programs, root);
        if (problem) variant.problems.push(`${where} ${problem}`);
      }
      // `Not on Node: 24`: where that Node line behaves otherwise, a sound variant proves nothing and is not run.
      const notOn = (value('Not on Node') ?? '').split(/[\s,]+/).filter(Boolean);
      if (variant.problems.length === 0 && notOn.includes(process.versions.node.split('.')[0])) variants.pop();
    }
  }
  return variants;
}

const posixPath = (path: string): string => path.split('\\').join('/');

/** The file a variant stands in for: the one it names, else `server.ts` if the lesson has one, else its only program. */
function replacedFile(named: string | undefined, programs: string[]): string {
  return named ?? (programs.includes('server.ts') ? 'server.ts' : programs.length === 1 ? programs[0] : '');
}

/** Applies a mutant's patch to the file it names: one of the solution's programs or of its alternatives. */
function patchMutant(variant: Variant, read: MutantPatch, programs: string[], root: string): string | undefined {
  const where = posixPath(relative(root, variant.file));
  const own = posixPath(relative(root, variant.lesson.solutionDir));
  const name = read.target.slice(own.length + 1);
  const alternative = /^alternatives\/[^/]+\.ts$/.test(name);
  const file = join(root, read.target);
  if (!read.target.startsWith(`${own}/`) || !(programs.includes(name) || alternative) || !existsSync(file))
    return `changes ${read.target}, which is neither a program of ${own} nor one of its alternatives`;
  const source = readFileSync(file, 'utf8');
  variant.replaces = alternative
    ? replacedFile(readHeader(source).find((l) => l.key === 'Replaces')?.value, programs)
    : name;
  const applied = applyMutantPatch(source, read.patch);
  if ('unfit' in applied)
    return `no longer applies to ${read.target}: its line ${applied.unfit} is not what the patch has there. Remake it: ${remakeCommand(where, 'remake')}`;
  if ('unchanged' in applied)
    return `changes nothing in ${read.target}. Make it again from an edited copy: ${remakeCommand(where, 'from')}`;
  variant.program = applied.text;
  return undefined;
}

export function parseFailsAt(text: string, scenarios: { file: string; steps: Step[] }[]): FailsAt | string {
  const match = /^(\S+\.txt):(\d+|end)$/.exec(text);
  if (!match) return 'write TRANSCRIPT.txt:LINE, or TRANSCRIPT.txt:end for what is judged after the last step';
  const scenario = scenarios.find((candidate) => basename(candidate.file) === match[1]);
  if (!scenario) return `the lesson has no transcript ${match[1]}`;
  if (match[2] === 'end') return { transcript: match[1], line: 'end' };
  const line = Number(match[2]);
  const step = scenario.steps.find((candidate) => candidate.line === line);
  if (!step || step.kind === 'comment') return `line ${line} of ${match[1]} is not a step`;
  return { transcript: match[1], line };
}

/** The index of the last scenario a mutant must reach: none after it can be where it first fails. */
export function lastNamedScenario(variant: Variant, scenarios: { file: string }[]): number {
  return Math.max(...variant.fails.map((at) => scenarios.findIndex((s) => basename(s.file) === at.transcript)));
}

/** A copy of the solution's programs with the variant in place of the file it replaces; remove it when done. */
export function variantFolder(variant: Variant, root: string): string {
  const parent = join(root, '.workbook', 'proof');
  mkdirSync(parent, { recursive: true });
  // Inside the workbook, so the programs find its package.json (ES modules) and node_modules as the solution does.
  const dir = mkdtempSync(join(parent, `${variant.lesson.slug}-${variant.name}-`));
  for (const name of readdirSync(variant.lesson.solutionDir)) {
    const from = join(variant.lesson.solutionDir, name);
    if (statSync(from).isFile()) copyFileSync(from, join(dir, name));
  }
  if (variant.program !== undefined) writeFileSync(join(dir, variant.replaces), variant.program);
  else copyFileSync(variant.file, join(dir, variant.replaces));
  return dir;
}

export function removeVariantFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  try {
    // The shared parent goes too once empty; another proof still running keeps it.
    rmdirSync(dirname(dir));
  } catch {
    // Not empty, or already gone.
  }
}

/** What is wrong with the variant's result, or undefined when the mutant is caught where it says, or the alternative passes. */
export function judgeVariant(variant: Variant, scenarios: ScenarioResult[], root: string): string | undefined {
  const where = relative(root, variant.file);
  const about = variant.about.replace(/\.$/, '');
  const failed = scenarios.find((scenario) => !scenario.passed);
  const reason = (scenario: ScenarioResult): string =>
    `${scenario.failure?.step ? `line ${scenario.failure.step.line}: ` : ''}${scenario.failure?.message ?? ''}`;
  if (variant.kind === 'alternative')
    return failed && `alternative ${where} (${about}) fails ${failed.name}.txt, ${reason(failed)}`;
  if (!failed) {
    const upTo = variant.fails.map(formatFailsAt).join(' or ');
    return `mutant ${where} passes every scenario up to ${upTo}: the transcripts do not catch it (${about})`;
  }
  const at = { transcript: `${failed.name}.txt`, line: failed.failure?.step?.line ?? ('end' as const) };
  if (variant.fails.some((named) => named.transcript === at.transcript && named.line === at.line)) return undefined;
  const said = variant.fails.map(formatFailsAt).join(' or ');
  return `mutant ${variant.name} failed at ${formatFailsAt(at)}, not at ${said} as it says (${where}): ${reason(failed)}`;
}
