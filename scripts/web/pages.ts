// The two pages: the course, with every lesson's status, and a lesson, with its README, check, hints and scenarios.
// A lesson's scenarios are drawn as sequence diagrams; its hints come one at a time.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { diagramOf } from '../diagram/model.ts';
import { renderSvg } from '../diagram/svg.ts';
import { readLessonText, transcriptFiles, twoDigits, type Lesson } from '../course/lessons.ts';
import { checkedTime, firstUnpassed, lessonsPassed, lessonStatus, type Progress } from '../course/progress.ts';
import { html, page, raw, statusBadge, type Html } from './html.ts';
import { renderReadme } from './markdown.ts';
import { lessonPath } from './results.ts';

const when = (iso: string | undefined): Html =>
  iso ? html`<time datetime="${iso}">${checkedTime(iso)} UTC</time>` : html`<span class="muted">never</span>`;

export function homePage(lessons: Lesson[], progress: Progress): string {
  const next = firstUnpassed(lessons, progress);
  const passed = lessonsPassed(progress, lessons);
  const rows = lessons.map((lesson) => {
    const { title } = readLessonText(lesson);
    const isNext = lesson === next;
    return html`<tr${isNext ? raw(' class="next"') : ''}>
      <td>${twoDigits(lesson.number)}</td>
      <td><a href="${lessonPath(lesson)}">${title}</a>${isNext ? html` <span class="next-tag">next</span>` : ''}</td>
      <td>${statusBadge(lessonStatus(progress, lesson))}</td>
      <td>${when(progress.lessons[lesson.slug]?.checkedAt)}</td></tr>`;
  });
  const body = html`<h1>Lessons</h1>
    <p>
      <progress max="${lessons.length}" value="${passed}" aria-label="Lessons passed">
        ${passed} of ${lessons.length}
      </progress>
      ${passed} of ${lessons.length} lessons pass.
    </p>
    ${next ? html`<p class="next-lesson">Next: <a href="${lessonPath(next)}">lesson ${next.number}, ${readLessonText(next).title}</a></p>` : html`<p>Every lesson passes. Well done.</p>`}
    <table class="lessons">
      <caption>
        Every lesson, whether it passes, and when it was last checked
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">lesson</th>
          <th scope="col">status</th>
          <th scope="col">last checked</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
  return page('Socket server workbook', body);
}

function hintsSection(lesson: Lesson, hints: string[], shown: number): Html {
  const items = hints
    .slice(0, shown)
    .map(
      (hint, index) =>
        html`<li>
          ${raw(renderReadme(hint))}<span class="visually-hidden">hint ${index + 1} of ${hints.length}</span>
        </li>`,
    );
  const more = shown < hints.length;
  return html`<section class="hints" aria-labelledby="hints-heading" id="hints">
    <h2 id="hints-heading">Hints</h2>
    ${hints.length === 0 ? html`<p>This lesson has no hints: its README is the place to look.</p>` : ''}
    <ol id="hint-list" aria-live="polite">
      ${items}
    </ol>
    ${
      hints.length > 0
        ? html`<form method="post" action="${lessonPath(lesson)}/hint" id="hint-form">
            <button type="submit" id="hint-button" ${more ? '' : raw(' disabled')}>
              ${more ? `Show hint ${shown + 1} of ${hints.length}` : `All ${hints.length} hints shown`}
            </button>
          </form>`
        : ''
    }
  </section>`;
}

function scenariosSection(lesson: Lesson): Html {
  const figures = transcriptFiles(lesson).map((file) => {
    const name = basename(file, '.txt');
    const text = readFileSync(file, 'utf8');
    const diagram = diagramOf(text);
    return html`<figure class="scenario-expected" data-scenario="${name}">
      <figcaption><strong>${name}</strong>${diagram.caption ? html`: ${diagram.caption}` : ''}</figcaption>
      <div class="drawing" tabindex="0">
        ${raw(renderSvg(diagram, { title: `The scenario ${name}: what it expects` }))}
      </div>
      <details>
        <summary>Transcript source: transcripts/${name}.txt</summary>
        <pre tabindex="0"><code>${text}</code></pre>
      </details>
    </figure>`;
  });
  return html`<section aria-labelledby="scenarios-heading">
    <h2 id="scenarios-heading">The scenarios this lesson checks</h2>
    ${figures}
  </section>`;
}

export function lessonPage(lessons: Lesson[], lesson: Lesson, progress: Progress): string {
  const text = readLessonText(lesson);
  const readme = join(lesson.dir, 'README.md');
  const entry = progress.lessons[lesson.slug];
  const index = lessons.indexOf(lesson);
  const [previous, next] = [lessons[index - 1], lessons[index + 1]];
  const body = html`<nav class="lesson-nav" aria-label="Lessons">
      <a href="/">All lessons</a>
      ${previous ? html`<a href="${lessonPath(previous)}" rel="prev">Lesson ${previous.number}</a>` : ''}
      ${next ? html`<a href="${lessonPath(next)}" rel="next">Lesson ${next.number}</a>` : ''}
    </nav>
    <div class="lesson" data-lesson="${lesson.slug}">
      <aside class="panel" aria-label="Check and hints">
        <section class="check" aria-labelledby="check-heading">
          <h2 id="check-heading">Check lesson ${lesson.number}</h2>
          <p>
            Status: <span id="lesson-status">${statusBadge(lessonStatus(progress, lesson))}</span>, last checked
            ${when(entry?.checkedAt)}.
          </p>
          <form id="check-form" action="${lessonPath(lesson)}/check" method="get">
            <label
              ><input type="checkbox" name="solution" value="1" id="solution" /> Check the reference solution instead of
              my files</label
            >
            <div class="buttons">
              <button type="submit" id="check-button">Check my work</button>
              <button type="button" id="stop-button" disabled>Stop watching</button>
            </div>
          </form>
          <p id="check-status" role="status" aria-live="polite">
            Not checked in this page yet. After a check, every save of a lesson file checks again.
          </p>
          <div id="stage-result"></div>
          <ol id="results" class="results" aria-label="Scenario results"></ol>
        </section>
        ${hintsSection(lesson, text.hints, Math.min(entry?.hintsShown ?? 0, text.hints.length))}
      </aside>
      <article class="readme">
        ${
          existsSync(readme)
            ? raw(renderReadme(readFileSync(readme, 'utf8')))
            : html`<h1>Lesson ${lesson.number}: ${text.title}</h1>
                <p>This lesson has no README.md.</p>`
        }
        ${scenariosSection(lesson)}
      </article>
    </div>`;
  return page(`Lesson ${lesson.number}: ${text.title}`, body, true);
}
