// Mutants, which the stage must catch where they say, and alternatives, which must pass.
// A mutant is a realistic mistake, an alternative a correct program in another style: solutions/NN-slug/mutants/*.ts and
// solutions/NN-slug/alternatives/*.ts.
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
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { VARIANT_FOLDERS } from '../course/files.ts';
import type { Lesson } from '../course/lessons.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { Step } from '../transcript/parse.ts';

export type VariantKind = keyof typeof VARIANT_FOLDERS;

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
  fails: FailsAt[];
  /** What is wrong with the variant's own header: it is not run until these are fixed. */
  problems: string[];
}

/** The `// Key: value` lines at the top of the file. */
export function readHeader(text: string): { key: string; value: string }[] {
  const header: { key: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\/\/ ([A-Z][A-Za-z ]*?): (.+)$/.exec(line);
    if (!match) break;
    header.push({ key: match[1], value: match[2].trim() });
  }
  return header;
}

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
      const where = relative(root, file);
      const problems: string[] = [];
      if (!entry.endsWith('.ts')) {
        variants.push({
          kind,
          lesson,
          name: entry,
          file,
          about: '',
          replaces: '',
          fails: [],
          problems: [`${where} is not a .ts program`],
        });
        continue;
      }
      const header = readHeader(readFileSync(file, 'utf8'));
      const value = (key: string): string | undefined => header.find((line) => line.key === key)?.value;
      // `// Not on Node: 24`: where that Node line behaves otherwise, the variant proves nothing and is not run.
      const notOn = (value('Not on Node') ?? '').split(/[\s,]+/).filter(Boolean);
      if (notOn.includes(process.versions.node.split('.')[0])) continue;
      const aboutKey = kind === 'mutant' ? 'Mistake' : 'Alternative';
      const about = value(aboutKey) ?? '';
      if (!about)
        problems.push(
          `${where} needs a first line \`// ${aboutKey}: ...\` saying ${kind === 'mutant' ? 'what is wrong' : 'what style it is'}`,
        );
      const replaces =
        value('Replaces') ?? (programs.includes('server.ts') ? 'server.ts' : programs.length === 1 ? programs[0] : '');
      if (!replaces)
        problems.push(`${where} needs \`// Replaces: FILE\`: the lesson has several programs and no server.ts`);
      else if (!programs.includes(replaces))
        problems.push(`${where} replaces ${replaces}, which ${relative(root, lesson.solutionDir)} does not have`);
      const fails: FailsAt[] = [];
      for (const { key, value: text } of header) {
        if (key !== 'Fails') continue;
        const failsAt = parseFailsAt(text, scenarios);
        if (typeof failsAt === 'string') problems.push(`${where}: \`// Fails: ${text}\`: ${failsAt}`);
        else fails.push(failsAt);
      }
      if (kind === 'mutant' && fails.length === 0 && !problems.some((problem) => problem.includes('// Fails:')))
        problems.push(`${where} needs \`// Fails: TRANSCRIPT.txt:LINE\`: where the stage must first catch the mistake`);
      variants.push({ kind, lesson, name: basename(entry, '.ts'), file, about, replaces, fails, problems });
    }
  }
  return variants;
}

function parseFailsAt(text: string, scenarios: { file: string; steps: Step[] }[]): FailsAt | string {
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
  copyFileSync(variant.file, join(dir, variant.replaces));
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
