// TypeScript's own errors in a lesson's files: `tsc` on those files alone, run only when a stage fails.
// The check itself only erases types, as Node does; the compiler's words (`Did you mean 'write'?`) come from here.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { WORKBOOK_ROOT } from './lessons.ts';

export interface TypeScriptError {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
  /** `TS2551` */
  code: string;
  /** TypeScript's message, with its suggestion and any indented lines after it joined on. */
  message: string;
}

/** The most a report shows: the first errors are the ones to fix, later ones often follow from them. */
export const MOST_TYPE_ERRORS = 3;
// A type check of a few files takes about a second; a stuck compiler must not hold up the report.
const TSC_TIMEOUT_MS = 60_000;

/** The workbook's compiler options (tsconfig.json) as `tsc` flags, for a run on named files, where no config is read. */
function compilerFlags(): string[] {
  const config = JSON.parse(readFileSync(join(WORKBOOK_ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  return Object.entries(config.compilerOptions).flatMap(([name, value]) => {
    if (value === true) return [`--${name}`];
    if (value === false) return [`--${name}`, 'false'];
    return [`--${name}`, Array.isArray(value) ? value.join(',') : String(value)];
  });
}

// `lessons/04-receive-loop/server.ts(18,12): error TS2551: Property 'wirte' does not exist on type 'Socket'. ...`
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** `tsc --pretty false` output read: one error per line, an elaboration on the indented lines after it. */
export function parseTscOutput(output: string, cwd: string): TypeScriptError[] {
  const errors: TypeScriptError[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, file, row, column, code, message] = match;
      errors.push({ file: resolve(cwd, file), line: Number(row), column: Number(column), code, message });
    } else if (/^\s+\S/.test(line) && errors.length > 0) errors[errors.length - 1].message += ` ${line.trim()}`;
  }
  return errors;
}

/**
 * TypeScript's errors in the files of `dir` (a lesson's programs and what they import), in the order `tsc` gives
 * them. Empty when the files type-check, and when the compiler cannot be run at all: the check's report stands alone.
 */
export async function typeErrors(dir: string, files: string[]): Promise<TypeScriptError[]> {
  let tsc: string;
  try {
    tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return [];
  }
  const args = [
    tsc,
    '--ignoreConfig',
    ...compilerFlags(),
    '--noEmit',
    '--pretty',
    'false',
    '--typeRoots',
    join(WORKBOOK_ROOT, 'node_modules', '@types'),
    ...files.map((name) => join(dir, name)),
  ];
  const output = await new Promise<string>((done) => {
    execFile(process.execPath, args, { cwd: dir, timeout: TSC_TIMEOUT_MS, maxBuffer: 8 << 20 }, (_error, stdout) =>
      done(String(stdout)),
    );
  });
  // Errors in the lesson's own files only: the learner cannot act on one inside a library's types.
  return parseTscOutput(output, dir).filter((error) => !relative(dir, error.file).startsWith('..'));
}

/** One error as a report shows it: `lessons/04-receive-loop/server.ts:18:12: Property 'wirte' ... (TS2551)`. */
export function formatTypeError(error: TypeScriptError, cwd: string): string {
  return `${relative(cwd, error.file) || error.file}:${error.line}:${error.column}: ${error.message} (${error.code})`;
}
