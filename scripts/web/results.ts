// A check's results as HTML: a line per passing scenario, and for a failing one its sentence and drawings, folded.
// The page opens the first failure and leaves the others closed; the verdict says TypeScript's errors and what to edit.
import { join, relative } from 'node:path';
import { diagramOfResult } from '../diagram/failure.ts';
import { diagramOf } from '../diagram/model.ts';
import { renderSvg } from '../diagram/svg.ts';
import type { Lesson } from '../course/lessons.ts';
import { formatTypeError, MOST_TYPE_ERRORS, type TypeScriptError } from '../course/typescript.ts';
import { compileError, failureSentence } from '../scenario/explain.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { StageResult } from '../grade/stage.ts';
import { filesToEdit } from '../terminal/report.ts';
import { html, raw, type Html } from './html.ts';
import { plural, seconds } from '../kernel/text.ts';

/** A sentence whose `quoted` parts are transcript lines or code: shown as code, as the terminal shows them. */
export function withCode(sentence: string): Html {
  return html`${sentence.split('`').map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

export const lessonPath = (lesson: Lesson): string => `/lessons/${lesson.slug}`;

export function scenarioHtml(result: ScenarioResult, root: string, index: number): Html {
  const heading = (more: Html | string = '') =>
    html`<h3>
      <span aria-hidden="true">${result.passed ? '✓' : '✗'}</span> ${result.name}
      <span class="verdict">${result.passed ? 'passes' : 'fails'}</span>
      <span class="time">(${seconds(result.durationMs)})</span>${more}
    </h3>`;
  const item = (kind: string, body: Html): Html =>
    html`<li class="scenario ${kind}" data-scenario="${result.name}" data-index="${index}">${body}</li>`;
  if (result.passed) return item('pass', heading());
  // A compile error is said once, above the results: each scenario only says that it is why.
  if (compileError(result.failure?.stderr, root))
    return item('fail', heading(html`<span class="because">: the program does not compile (see above)</span>`));
  const happened = renderSvg(diagramOfResult(result, root), {
    title: `What happened in ${result.name}, the failing step highlighted`,
    legend: true,
  });
  const expected = renderSvg(diagramOf(result.expected), { title: `What ${result.name} expects` });
  const stderr = result.failure?.stderr;
  // Closed until the page opens it: the first failure is shown whole, the others one line each.
  return item(
    'fail',
    html`<details class="failure">
      <summary>${heading()}</summary>
      <p class="reason">${withCode(result.failure ? failureSentence(result.failure, root) : 'It failed.')}</p>
      <figure class="happened">
        <figcaption>What happened, the first failing step in red</figcaption>
        <div class="drawing" tabindex="0">${raw(happened)}</div>
      </figure>
      ${
        stderr
          ? html`<details>
              <summary>The program's stderr</summary>
              <pre tabindex="0">${stderr.join('\n')}</pre>
            </details>`
          : ''
      }
      <details>
        <summary>What was expected</summary>
        <div class="drawing" tabindex="0">${raw(expected)}</div>
      </details>
    </details>`,
  );
}

/** TypeScript's errors in the lesson's files, the first few, in the compiler's own words. */
function typeErrorsHtml(errors: TypeScriptError[], root: string, compiled: string | undefined): Html {
  const shown = errors.filter((error) => !compiled?.startsWith(`${relative(root, error.file)}:${error.line}:`));
  if (shown.length === 0) return html``;
  const items = shown.slice(0, MOST_TYPE_ERRORS).map((error) => {
    const [where, ...message] = formatTypeError(error, root).split(': ');
    return html`<li><code>${where}</code>: ${withCode(message.join(': ').replace(/'([^']+)'/g, '`$1`'))}</li>`;
  });
  const more = shown.length - MOST_TYPE_ERRORS;
  return html`<div class="type-errors">
    <p><strong>TypeScript finds ${plural(shown.length, 'error')} in your files:</strong></p>
    <ul>
      ${items}
    </ul>
    ${more > 0 ? html`<p>…and ${more} more: <code>npm run typecheck</code> lists them all.</p>` : ''}
  </div>`;
}

export interface StageExtras {
  typeErrors?: TypeScriptError[];
  /** The failing scenario the next hint is for, if any. */
  hintFor?: string;
}

/** The verdict: passes and where to go next, or TypeScript's errors, a compile error once, and what to edit. */
export function stageHtml(
  stage: StageResult,
  next: Lesson | undefined,
  solution: boolean,
  extras: StageExtras = {},
): Html {
  if (stage.passed) {
    return html`<p class="stage pass" role="status">
      <strong>Lesson ${stage.lesson.number} passes</strong> (${plural(stage.total, 'scenario')},
      ${seconds(stage.durationMs)}).
      ${next ? html`Next: <a href="${lessonPath(next)}">lesson ${next.number}</a>.` : 'That was the last lesson. Well done.'}
    </p>`;
  }
  const root = stage.courseRoot;
  const failing = stage.scenarios.filter((scenario) => !scenario.passed);
  const compiled = failing.map((scenario) => compileError(scenario.failure?.stderr, root)).find(Boolean);
  const files = filesToEdit(stage).map((name) => relative(root, join(stage.programDir, name)));
  const edit = solution
    ? html`The reference solution fails: the lesson itself needs fixing.`
    : html`Edit ${files.map((file, index) => html`${index > 0 ? ', ' : ''}<code>${file}</code>`)} and save: it is
      checked again.`;
  const hint = extras.hintFor ? html`<p>Stuck? <a href="#hints">The next hint</a> is for ${extras.hintFor}.</p>` : '';
  return html`<div class="stage fail" role="status">
    ${typeErrorsHtml(extras.typeErrors ?? [], root, compiled)}
    ${compiled ? html`<p class="reason">The program does not compile: <code>${compiled}</code></p>` : ''}
    <p><strong>${failing.length} of ${plural(stage.total, 'scenario')} failed.</strong> ${edit}</p>
    ${hint}
  </div>`;
}
