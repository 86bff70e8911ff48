// A lesson's page: its README with a table of contents, the check, the hints one at a time, and its scenarios drawn.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { diagramOf } from '../diagram/model.ts';
import { renderSvg } from '../diagram/svg.ts';
import { upcomingHint } from '../course/hints.ts';
import { readLessonText, transcriptFiles, type Lesson } from '../course/lessons.ts';
import { checkedTime, hintsSeen, lessonStatus, type Progress } from '../course/progress.ts';
import { html, page, raw, statusBadge, type Html } from './html.ts';
import { readmeSections, renderReadme } from './markdown.ts';
import { lessonPath } from './results.ts';

const when = (iso: string | undefined): Html =>
  iso ? html`<time datetime="${iso}">${checkedTime(iso)} UTC</time>` : html`<span class="muted">never</span>`;

/** The hints seen so far, in the order they were shown, and the button for the next one. */
function hintsSection(root: string, lesson: Lesson, hints: string[], seen: number[]): Html {
  const items = seen.map(
    (index, place) =>
      html`<li>
        ${raw(renderReadme(hints[index]))}<span class="visually-hidden">hint ${place + 1} of ${hints.length}</span>
      </li>`,
  );
  const more = seen.length < hints.length;
  const upcoming = more ? upcomingHint(root, lesson).for : undefined;
  return html`<section class="hints" aria-labelledby="hints-heading" id="hints">
    <h2 id="hints-heading">Hints</h2>
    ${hints.length === 0 ? html`<p>This lesson has no hints: its README is the place to look.</p>` : ''}
    <ol id="hint-list" aria-live="polite">
      ${items}
    </ol>
    <p id="hint-for" class="muted">
      ${upcoming ? `The next hint is for ${upcoming}, the first scenario that failed at your last check.` : ''}
    </p>
    ${
      hints.length > 0
        ? html`<form method="post" action="${lessonPath(lesson)}/hint" id="hint-form">
            <button type="submit" id="hint-button" ${more ? '' : raw(' disabled')}>
              ${more ? `Show hint ${seen.length + 1} of ${hints.length}` : `All ${hints.length} hints shown`}
            </button>
          </form>`
        : ''
    }
  </section>`;
}

/** The README's sections as links, with the scenarios at the end: a lesson page is long. */
function tableOfContents(markdown: string): Html {
  const sections = [
    ...readmeSections(markdown),
    { text: 'The scenarios this lesson checks', anchor: 'scenarios-heading' },
  ];
  return html`<nav class="toc" aria-labelledby="toc-heading">
    <h2 id="toc-heading">On this page</h2>
    <ol>
      ${sections.map((section) => html`<li><a href="#${section.anchor}">${section.text}</a></li>`)}
    </ol>
  </nav>`;
}

/** The README with its table of contents after the title. */
function readmeHtml(markdown: string): Html {
  const rendered = renderReadme(markdown);
  const afterTitle = rendered.indexOf('</h1>');
  const at = afterTitle < 0 ? 0 : afterTitle + '</h1>'.length;
  return raw(rendered.slice(0, at) + tableOfContents(markdown).text + rendered.slice(at));
}

function scenariosSection(lesson: Lesson): Html {
  const figures = transcriptFiles(lesson).map((file) => {
    const name = basename(file, '.txt');
    const text = readFileSync(file, 'utf8');
    const diagram = diagramOf(text);
    return html`<figure class="scenario-expected" data-scenario="${name}">
      <figcaption><strong>${name}</strong>${diagram.caption ? html`: ${diagram.caption}` : ''}</figcaption>
      <div class="drawing" tabindex="0">
        ${raw(renderSvg(diagram, { title: `The scenario ${name}: what it expects`, legend: true }))}
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

export function lessonPage(root: string, lessons: Lesson[], lesson: Lesson, progress: Progress): string {
  const text = readLessonText(lesson);
  const readme = join(lesson.dir, 'README.md');
  const markdown = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
  const entry = progress.lessons[lesson.slug];
  const index = lessons.indexOf(lesson);
  const [previous, next] = [lessons[index - 1], lessons[index + 1]];
  const body = html`<nav class="lesson-nav" aria-label="Lessons">
      <a href="/">All lessons</a>
      ${/^## Your task/m.test(markdown) ? html`<a href="#your-task" class="jump">Jump to Your task</a>` : ''}
      ${previous ? html`<a href="${lessonPath(previous)}" rel="prev">Lesson ${previous.number}</a>` : ''}
      ${next ? html`<a href="${lessonPath(next)}" rel="next">Lesson ${next.number}</a>` : ''}
    </nav>
    <div class="lesson" data-lesson="${lesson.slug}">
      <aside class="panel" aria-label="Check and hints">
        <section class="check" aria-labelledby="check-heading">
          <h2 id="check-heading">Check lesson ${lesson.number}</h2>
          <p>
            Status: <span id="lesson-status">${statusBadge(lessonStatus(progress, lesson))}</span>, last checked
            <span id="last-checked">${when(entry?.checkedAt)}</span>.
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
        ${hintsSection(
          root,
          lesson,
          text.hints,
          hintsSeen(entry).filter((index) => index < text.hints.length),
        )}
      </aside>
      <article class="readme">
        ${
          existsSync(readme)
            ? readmeHtml(markdown)
            : html`<h1>Lesson ${lesson.number}: ${text.title}</h1>
                <p>This lesson has no README.md.</p>`
        }
        ${scenariosSection(lesson)}
      </article>
    </div>`;
  return page(`Lesson ${lesson.number}: ${text.title}`, body, true);
}
