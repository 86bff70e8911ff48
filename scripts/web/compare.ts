// After a pass: the learner's files against the reference, folded and highlighted, and the mistakes the check catches.
// Each of the lesson's mutants is shown as its one-line mistake and its small patch: what the scenarios would have failed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { structuredPatch, type StructuredPatch } from 'diff';
import { highlightHtml } from '../diagram/blocks.ts';
import { lessonMistakes } from '../course/mistakes.ts';
import type { Lesson } from '../course/lessons.ts';
import { html, raw, type Html } from './html.ts';

/** Lines as they are kept around each change: enough to see where it is, not the whole file. */
const CONTEXT = 3;

/** One line of a diff, highlighted as TypeScript, with its sign: single-spaced, each line a block of its own. */
function diffLine(line: string): Html {
  const sign = line[0] === '+' ? '+' : line[0] === '-' ? '-' : ' ';
  const kind = sign === '+' ? 'add' : sign === '-' ? 'del' : 'same';
  const code = line.slice(1);
  const shown = highlightHtml(code, 'ts') ?? code;
  return html`<span class="${kind}"><span class="sign" aria-hidden="true">${sign}</span>${raw(shown || ' ')}</span>`;
}

/** A patch's hunks, each under a line saying where it is, the lines between them left out. */
function hunksHtml(patch: StructuredPatch, oldName: string, newName: string): Html {
  const hunks = patch.hunks.map((hunk) => {
    const where = `lines ${hunk.oldStart}-${hunk.oldStart + Math.max(hunk.oldLines - 1, 0)} of ${oldName}, ${hunk.newStart}-${hunk.newStart + Math.max(hunk.newLines - 1, 0)} of ${newName}`;
    const lines = hunk.lines.filter((line) => !line.startsWith('\\')).map(diffLine);
    return html`<span class="hunk">${where}</span>${lines}`;
  });
  return html`<pre class="diff" tabindex="0"><code class="hljs">${hunks}</code></pre>`;
}

/** Each of the learner's files against the reference solution, folded to the changes. */
export function solutionDiffHtml(lesson: Lesson, programs: string[], root: string): Html {
  const parts = programs.map((name) => {
    const mine = join(lesson.dir, name);
    const reference = join(lesson.solutionDir, name);
    if (!existsSync(mine) || !existsSync(reference)) return html``;
    const patch = structuredPatch(
      'yours',
      'reference',
      readFileSync(mine, 'utf8'),
      readFileSync(reference, 'utf8'),
      '',
      '',
      {
        context: CONTEXT,
      },
    );
    return html`<figure class="code solution-diff">
      <figcaption>
        <code>${name}</code>: yours (<code>${relative(root, mine)}</code>, lines marked −) against the reference
        (<code>${relative(root, reference)}</code>, lines marked +)
      </figcaption>
      ${patch.hunks.length === 0 ? html`<p>Yours is the same as the reference.</p>` : hunksHtml(patch, 'yours', 'the reference')}
    </figure>`;
  });
  return html`<section class="compare" aria-labelledby="compare-heading">
    <h3 id="compare-heading">Your code and the reference solution</h3>
    ${parts}
  </section>`;
}

/** The lesson's mutants as mistakes: the sentence, where the check catches it, and the change that makes it. */
export function mistakesHtml(lesson: Lesson): Html {
  const mistakes = lessonMistakes(lesson);
  if (mistakes.length === 0) return html``;
  const items = mistakes.map(
    (mistake) =>
      html`<li>
        <details>
          <summary>${mistake.mistake[0].toUpperCase()}${mistake.mistake.slice(1).replace(/\.$/, '')}.</summary>
          <p class="caught">
            Caught by ${mistake.caughtAt.map((at, index) => html`${index > 0 ? ', ' : ''}<code>${at}</code>`)}: the
            reference with this change (− the reference, + the mistake):
          </p>
          ${hunksHtml(mistake.patch, 'the reference', 'the mistake')}
        </details>
      </li>`,
  );
  return html`<section class="mistakes" aria-labelledby="mistakes-heading">
    <h3 id="mistakes-heading">Mistakes this stage catches</h3>
    <p>
      Each is a small change to the reference solution that the lesson's scenarios fail: what the check would have told
      you.
    </p>
    <ul>
      ${items}
    </ul>
  </section>`;
}
