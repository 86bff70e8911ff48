// A failure in words, for the terminal, the grades and the browser alike: the compiler's message, or one sentence.
import { relative } from 'node:path';
import type { Failure } from './context.ts';
import { crashLine, crashLocation, endingMeaning, endingSaid } from '../run/exit.ts';

/** Every line indented, empty lines left empty. */
export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');
}

/** The compiler's own words when the program did not compile: `file:line:col: message`. */
export function compileError(stderr: string[] | undefined, cwd: string): string | undefined {
  if (!stderr) return undefined;
  const where = (file: string): string => relative(cwd, file) || file;
  // Node's own type stripping: `file:///path/server.ts:4`, the source, a caret line, then the SyntaxError.
  const error = stderr.findIndex((line) =>
    /^SyntaxError \[ERR_(?:INVALID|UNSUPPORTED)_TYPESCRIPT_SYNTAX\]: /.test(line),
  );
  if (error < 0) return v8SyntaxError(stderr, where);
  // Valid TypeScript that Node cannot erase (an enum, a parameter property) says why it is refused.
  const unsupported = stderr[error].includes('ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX')
    ? ' (Node runs a .ts file by erasing its types, so TypeScript that must be compiled cannot run: see lesson 00)'
    : '';
  const message = stderr[error].replace(/^SyntaxError \[\w+\]: /, '') + unsupported;
  const header = stderr.slice(0, error).findLastIndex((line) => /^(?:file:\/\/)?.+\.[mc]?ts:\d+$/.test(line));
  if (header < 0) return undefined;
  const [, file, line] = /^(?:file:\/\/)?(.+):(\d+)$/.exec(stderr[header])!;
  const caret = stderr.slice(header + 1, error).find((text) => /^\s*\^+\s*$/.test(text));
  const column = caret === undefined ? '' : `:${caret.indexOf('^') + 1}`;
  return `${where(decodeURIComponent(file))}:${line}${column}: ${message}`;
}

/** The one sentence about the first failing step (`Line 8, \`A: recv "Hi"\`: ...`), or the compiler's message. */
export function failureSentence(failure: Failure, cwd: string): string {
  const compile = compileError(failure.stderr, cwd);
  if (compile) return `The program does not compile: ${compile}`;
  const where = failure.step ? `Line ${failure.step.line}, ${shownStep(failure.step.source)}: ` : '';
  const sentence = where + failure.message + replacementNote(failure.message);
  // A crash says how it ended and what it said: the cause is there, not in the step that went unanswered.
  if (failure.exit) return `${sentence} ${crashSentence(failure, cwd)}`;
  return sentence + (failure.ended ? ` The program ${failure.ended.replace(/^it /, '')}.` : '');
}

/**
 * How the program ended, the stderr line that says why, and where: `The program exited with code 1 after printing:
 * \`TypeError: conn.wirte is not a function\` (at lessons/04-receive-loop/server.ts:18:12).`
 */
export function crashSentence(failure: Failure, cwd: string): string {
  const exit = failure.exit!;
  const said = endingSaid(exit);
  const line = crashLine(failure.stderr);
  const at = crashLocation(failure.stderr, cwd);
  const quoted = line ? `\`${line}\`${at ? ` (at ${at})` : ''}` : '';
  const meaning = endingMeaning(exit);
  // The step's own sentence may have said the exit already (`but it exited with code 1 first`): not twice.
  if (failure.message.includes(said)) {
    const means = meaning ? ` ${exit.signal ?? `Code ${exit.code}`} means ${meaning}.` : '';
    return (quoted ? `It printed: ${quoted}.` : 'It printed nothing on stderr.') + means;
  }
  const printed = quoted ? ` after printing: ${quoted}` : ', printing nothing on stderr';
  return `The program ${said}${printed}${meaning ? `: ${meaning}` : ''}.`;
}

/** `ef bf bd` is U+FFFD: bytes that were not UTF-8 went through a string and came back as the replacement character. */
function replacementNote(message: string): string {
  return /\\xef\\xbf\\xbd|ef bf bd/i.test(message)
    ? ' (`ef bf bd` is U+FFFD, the replacement character: bytes that are not UTF-8 were decoded as text, then encoded again.)'
    : '';
}

/** The sentence, then what the program said on stderr (unless the diff shows it already, or it did not compile). */
export function explainFailure(failure: Failure, cwd: string, stderrInDiff = false): string {
  const sentence = failureSentence(failure, cwd);
  if (!failure.stderr || stderrInDiff || compileError(failure.stderr, cwd)) return sentence;
  return `${sentence}\nThe program's stderr began with:\n${indent(failure.stderr.join('\n'), '  | ')}`;
}

/** A transcript line in a sentence; an empty stdout line (`\\` alone) is said in words. */
function shownStep(source: string): string {
  return source === '\\' ? '`\\` (an empty line)' : `\`${source}\``;
}

/** V8's own form, for JavaScript syntax errors: `file:///x.ts:4`, the source, a caret, `SyntaxError: ...`. */
function v8SyntaxError(stderr: string[], where: (file: string) => string): string | undefined {
  const syntax = stderr.findIndex((line) => /^SyntaxError: /.test(line));
  if (syntax < 0) return undefined;
  // Thrown while parsing, its stack is all Node's own; one the program throws as it runs (JSON.parse) is not.
  const frames = stderr.slice(syntax + 1).filter((line) => /^\s+at /.test(line));
  if (frames.some((line) => !line.includes('node:internal'))) return undefined;
  const at = stderr.slice(0, syntax).findIndex((line) => /^(?:file:\/\/)?(\/.+|[A-Za-z]:.+):(\d+)$/.test(line));
  if (at < 0) return undefined;
  const [, file, line] = /^(?:file:\/\/)?(.+):(\d+)$/.exec(stderr[at])!;
  const caret = stderr.slice(at + 1, syntax).find((text) => /^\s*\^/.test(text));
  const column = caret ? caret.indexOf('^') + 1 : 1;
  return `${where(decodeURIComponent(file))}:${line}:${column}: ${stderr[syntax].slice('SyntaxError: '.length)}`;
}
