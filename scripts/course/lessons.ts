// The course on disk: its lessons in order, their transcripts, and what the runner reads from each README.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { marked, type Tokens } from 'marked';
import { WorkbookError } from '../kernel/errors.ts';

/** The workbook's own folder: where `lessons/` and `solutions/` live. */
export const WORKBOOK_ROOT = resolve(import.meta.dirname, '../..');

export interface Lesson {
  number: number;
  slug: string;
  /** `lessons/NN-slug` under the course root. */
  dir: string;
  solutionDir: string;
}

const LESSON_DIR = /^(\d\d)-[a-z0-9-]+$/;

/** Every lesson of a course, in order: the folder name is both the id and the order. */
export function listLessons(root: string): Lesson[] {
  const lessonsDir = join(root, 'lessons');
  if (!existsSync(lessonsDir)) throw new WorkbookError(`no lessons/ folder in ${root}`);
  return readdirSync(lessonsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LESSON_DIR.test(entry.name))
    .map((entry) => ({
      number: Number(entry.name.slice(0, 2)),
      slug: entry.name,
      dir: join(lessonsDir, entry.name),
      solutionDir: join(root, 'solutions', entry.name),
    }))
    .sort((a, b) => a.number - b.number);
}

/** A lesson's number as its folder writes it, two digits: `04`. */
export const twoDigits = (number: number): string => String(number).padStart(2, '0');

export function findLesson(lessons: Lesson[], text: string, command = 'lesson'): Lesson {
  const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  const lesson = lessons.find((candidate) => candidate.number === number);
  if (!lesson) {
    const list = lessons.map((l) => `  ${l.number}  ${l.slug}`).join('\n');
    throw new WorkbookError(
      `there is no lesson '${text}'. The lessons are:\n${list}\nRun one with: npm run ${command} ${lessons[0]?.number ?? 1}`,
    );
  }
  return lesson;
}

export function transcriptFiles(lesson: Lesson): string[] {
  const dir = join(lesson.dir, 'transcripts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => join(dir, name));
}

/** A code block's info string, such as `ts file=solutions/04-receive-loop/server.ts`: its language and its file. */
export function codeInfo(info: string | undefined): { lang: string; file?: string } {
  const text = (info ?? '').trim();
  return { lang: text.split(/\s+/)[0], file: /(?:^|\s)file=(\S+)/.exec(text)?.[1] };
}

export interface LessonText {
  title: string;
  /** The lesson whose program this one starts from; null for a new program; undefined when the README does not say. */
  buildsOn: number | null | undefined;
  hints: string[];
  codeBlocks: { info: string; text: string; line: number }[];
}

/** What the runner needs from a lesson's README: its title, its hints and the code blocks it shows. */
export function readLessonText(lesson: Lesson): LessonText {
  const file = join(lesson.dir, 'README.md');
  if (!existsSync(file)) return { title: lesson.slug, buildsOn: undefined, hints: [], codeBlocks: [] };
  const markdown = readFileSync(file, 'utf8');
  const tokens = marked.lexer(markdown);
  const hints: string[] = [];
  let inHints = false;
  for (const token of tokens) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      if (heading.depth <= 2) inHints = heading.depth === 2 && /^hints?$/i.test(heading.text.trim());
    } else if (token.type === 'list' && inHints) {
      hints.push(...(token as Tokens.List).items.map((item) => item.text.trim()));
    }
  }
  const title = titleOf(markdown) ?? lesson.slug;
  return { title, buildsOn: readBuildsOn(markdown), hints, codeBlocks: readCodeBlocks(markdown, tokens) };
}

/** Only the title, read without parsing the README: a stage prints it before its programs start, so it must be quick. */
export function readLessonTitle(lesson: Lesson): string {
  const file = join(lesson.dir, 'README.md');
  return (existsSync(file) && titleOf(readFileSync(file, 'utf8'))) || lesson.slug;
}

/** The first `# ` heading outside fenced code, without its number: `# 04: The receive loop` is `The receive loop`. */
function titleOf(markdown: string): string | undefined {
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && !fence) fence = marker;
    else if (marker && fence && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    else if (!fence) {
      const heading = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
      if (heading) return heading[1].replace(/^\d+:\s*/, '');
    }
  }
  return undefined;
}

/** A Markdown file's fenced code blocks, each with its info string and the line its fence is on. */
export function readCodeBlocks(markdown: string, tokens = marked.lexer(markdown)): LessonText['codeBlocks'] {
  const codeBlocks: LessonText['codeBlocks'] = [];
  // Code blocks may sit inside lists too, so walk the whole tree for them.
  let searchFrom = 0;
  marked.walkTokens(tokens, (token) => {
    if (token.type !== 'code') return;
    const code = token as Tokens.Code;
    const at = markdown.indexOf(code.raw, searchFrom);
    if (at >= 0) searchFrom = at + code.raw.length;
    const line = at >= 0 ? markdown.slice(0, at).split('\n').length : 0;
    codeBlocks.push({ info: code.lang ?? '', text: code.text, line });
  });
  return codeBlocks;
}

// `*For echo, serial-clients:*` or `*For modules.ts and greeting.ts:*` at the start of a hint.
const MARK = /^\*For ([^*]+?):\*\s*/;

/** The mark of a hint for all of a lesson's scenarios: `*For every scenario:*`. */
export const EVERY_SCENARIO = 'every scenario';

export interface Hint {
  /** Its place in the README's list, 0-based. */
  index: number;
  /** As the README writes it, mark and all (Markdown). */
  text: string;
  /** The scenarios and files it names; empty for one that names none (an answer to a question). */
  for: string[];
}

export function readHint(text: string, index: number): Hint {
  const mark = MARK.exec(text);
  const names = mark ? mark[1].split(/\s*,\s*|\s+and\s+/).filter(Boolean) : [];
  return { index, text, for: names };
}

/** The hint as a terminal shows it: the mark in plain words, `For echo, serial-clients: ...`. */
export const plainHint = (text: string): string => text.replace(MARK, (_, names: string) => `For ${names}: `);

// `**Starts from:** lesson 12's server.ts ...` (or `Builds on: lesson 12.`), on a line of its own.
const STARTS_FROM = /^(?:\*\*)?(?:Starts from|Builds on):(?:\*\*)?[ \t]+(.*)$/im;

/**
 * What a README says its program starts from: `lesson NN` at the start of the line's text names that lesson;
 * anything else (`nothing carried over`, `a new, short server.ts`) is a new program.
 */
export function readBuildsOn(markdown: string): number | null | undefined {
  const line = STARTS_FROM.exec(markdown);
  if (!line) return undefined;
  const lesson = /^lessons? (\d{1,2})\b/i.exec(line[1].trim());
  return lesson ? Number(lesson[1]) : null;
}
