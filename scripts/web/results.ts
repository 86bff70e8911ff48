// A check's results as HTML: a line per passing scenario, and a drawing of what happened for a failing one.
// A failing scenario's drawing highlights its first failing step, with the one-sentence reason and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { diffLines } from 'diff';
import { diagramOfResult } from '../diagram/failure.ts';
import { diagramOf } from '../diagram/model.ts';
import { renderSvg } from '../diagram/svg.ts';
import type { Lesson } from '../course/lessons.ts';
import { compileError, failureSentence } from '../scenario/explain.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import type { StageResult } from '../grade/stage.ts';
import { html, raw, type Html } from './html.ts';
import { seconds } from '../kernel/text.ts';

/** A sentence whose `quoted` parts are transcript lines or code: shown as code, as the terminal shows them. */
export function withCode(sentence: string): Html {
  return html`${sentence.split('`').map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

export const lessonPath = (lesson: Lesson): string => `/lessons/${lesson.slug}`;

export function scenarioHtml(result: ScenarioResult, root: string): Html {
  const heading = html`<h3>
    <span aria-hidden="true">${result.passed ? '✓' : '✗'}</span> ${result.name}
    <span class="verdict">${result.passed ? 'passes' : 'fails'}</span>
    <span class="time">(${seconds(result.durationMs)})</span>
  </h3>`;
  if (result.passed) return html`<li class="scenario pass" data-scenario="${result.name}">${heading}</li>`;
  const compile = compileError(result.failure?.stderr, root);
  if (compile) {
    return html`<li class="scenario fail" data-scenario="${result.name}">
      ${heading}
      <p class="reason">The program does not compile: <code>${compile}</code></p>
    </li>`;
  }
  const happened = renderSvg(diagramOfResult(result, root), {
    title: `What happened in ${result.name}, the failing step highlighted`,
  });
  const expected = renderSvg(diagramOf(result.expected), { title: `What ${result.name} expects` });
  const stderr = result.failure?.stderr;
  return html`<li class="scenario fail" data-scenario="${result.name}">
    ${heading}
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
  </li>`;
}

/** The verdict: passes and where to go next, or what to edit. */
export function stageHtml(stage: StageResult, next: Lesson | undefined, solution: boolean): Html {
  const files = stage.programs.map((name) => relative(stage.courseRoot, join(stage.programDir, name))).join(', ');
  if (stage.passed) {
    return html`<p class="stage pass" role="status">
      <strong>Stage ${stage.lesson.number} passes</strong> (${stage.total} scenarios, ${seconds(stage.durationMs)}).
      ${next ? html`Next: <a href="${lessonPath(next)}">lesson ${next.number}</a>.` : 'That was the last lesson. Well done.'}
    </p>`;
  }
  const failed = stage.scenarios.filter((scenario) => !scenario.passed).length;
  const edit = solution
    ? 'The reference solution fails: the lesson itself needs fixing.'
    : `Edit ${files} and save: it is checked again.`;
  return html`<p class="stage fail" role="status">
    <strong>${failed} of ${stage.total} scenarios failed.</strong> ${edit}
  </p>`;
}

/** After a pass: each of the learner's files against the reference solution, line by line. */
export function solutionDiffHtml(stage: StageResult): Html {
  const parts = stage.programs.map((name) => {
    const mine = join(stage.lesson.dir, name);
    const reference = join(stage.lesson.solutionDir, name);
    if (!existsSync(mine) || !existsSync(reference)) return html``;
    const lines = diffLines(readFileSync(mine, 'utf8'), readFileSync(reference, 'utf8')).flatMap((part) =>
      part.value
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => {
          const kind = part.added ? 'add' : part.removed ? 'del' : 'same';
          const sign = part.added ? '+' : part.removed ? '-' : ' ';
          return html`<span class="${kind}">${sign} ${line}</span> `;
        }),
    );
    const same = lines.length > 0 && lines.every((line) => line.text.startsWith('<span class="same">'));
    return html`<figure class="code solution-diff">
      <figcaption>${name}: yours (-) and the reference solution (+)</figcaption>
      ${same ? html`<p>Yours is the same as the reference.</p>` : html`<pre tabindex="0"><code>${lines}</code></pre>`}
    </figure>`;
  });
  return html`<section class="compare" aria-labelledby="compare-heading">
    <h3 id="compare-heading">Your code and the reference solution</h3>
    ${parts}
  </section>`;
}
