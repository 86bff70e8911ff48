// The home page: what the workbook is and how to start, each lesson with what it builds and its status, the programs.
// The programs are paths from lesson to lesson, as `npm run progress` prints them; the page fits a 390-pixel phone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked, type Tokens } from 'marked';
import { readLessonText, twoDigits, type Lesson } from '../course/lessons.ts';
import { courseChains, type BuildsOn } from '../course/paths.ts';
import { checkedTime, firstUnpassed, lessonsPassed, lessonStatus, type Progress } from '../course/progress.ts';
import { html, page, raw, statusBadge, type Html } from './html.ts';
import { lessonPath, withCode } from './results.ts';

const when = (iso: string | undefined): Html =>
  iso ? html`<time datetime="${iso}">${checkedTime(iso)} UTC</time>` : html`<span class="muted">never</span>`;

/** Each lesson's one line, from the course README's table under `## Lessons` (`| 04 | ... | what you build |`). */
export function lessonSummaries(root: string): Map<number, string> {
  const summaries = new Map<number, string>();
  const readme = join(root, 'README.md');
  if (!existsSync(readme)) return summaries;
  let inLessons = false;
  for (const token of marked.lexer(readFileSync(readme, 'utf8'))) {
    if (token.type === 'heading' && token.depth <= 2) inLessons = /^lessons$/i.test((token as Tokens.Heading).text);
    if (!inLessons || token.type !== 'table') continue;
    for (const row of (token as Tokens.Table).rows) {
      const [number, , summary] = row.map((cell) => cell.text.trim());
      if (/^\d{1,2}$/.test(number) && summary) summaries.set(Number(number), summary);
    }
  }
  return summaries;
}

/** A lesson's first sentence, for a course whose README has no table of lessons. */
function firstSentence(lesson: Lesson): string {
  const file = join(lesson.dir, 'README.md');
  if (!existsSync(file)) return '';
  const paragraph = marked.lexer(readFileSync(file, 'utf8')).find((token) => token.type === 'paragraph');
  const text = (paragraph as Tokens.Paragraph | undefined)?.text.replace(/\s+/g, ' ') ?? '';
  return /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
}

function pathsSection(lessons: Lesson[]): Html {
  const buildsOn: BuildsOn = new Map(lessons.map((lesson) => [lesson.number, readLessonText(lesson).buildsOn]));
  if (![...buildsOn.values()].some((from) => from !== undefined)) return html``;
  const { chains, alone } = courseChains(lessons, buildsOn);
  const link = (number: number): Html => {
    const lesson = lessons.find((candidate) => candidate.number === number)!;
    return html`<a href="${lessonPath(lesson)}">${twoDigits(number)}</a>`;
  };
  const line = (chain: number[]): Html => html`${chain.map((n, index) => html`${index > 0 ? ' > ' : ''}${link(n)}`)}`;
  return html`<section aria-labelledby="programs-heading">
    <h2 id="programs-heading">The programs</h2>
    <p>
      Each line is one program growing from lesson to lesson: a lesson's starter is the finished program of the one
      before it.
    </p>
    <ul class="paths">
      ${chains.map((chain) => html`<li>${line(chain)}</li>`)}
      ${alone.length > 0 ? html`<li>on their own: ${alone.map((n, index) => html`${index > 0 ? ', ' : ''}${link(n)}`)}</li>` : ''}
    </ul>
  </section>`;
}

export function homePage(root: string, lessons: Lesson[], progress: Progress): string {
  const next = firstUnpassed(lessons, progress);
  const passed = lessonsPassed(progress, lessons);
  const summaries = lessonSummaries(root);
  const rows = lessons.map((lesson) => {
    const { title } = readLessonText(lesson);
    const isNext = lesson === next;
    const summary = summaries.get(lesson.number) ?? firstSentence(lesson);
    return html`<tr${isNext ? raw(' class="next"') : ''}>
      <td>${twoDigits(lesson.number)}</td>
      <td>
        <a href="${lessonPath(lesson)}">${title}</a>${isNext ? html` <span class="next-tag">next</span>` : ''}
        ${summary ? html`<span class="summary">${withCode(summary)}</span>` : ''}
      </td>
      <td>${statusBadge(lessonStatus(progress, lesson))}</td>
      <td class="when">${when(progress.lessons[lesson.slug]?.checkedAt)}</td></tr>`;
  });
  const body = html`<h1>Socket server workbook</h1>
    <p class="intro">
      A hands-on course in network server programming, in TypeScript on Node. You rebuild a TCP server one idea at a
      time, and every step is checked by running your program: real clients connect to it over this machine's loopback,
      and what happens is compared with the lesson's transcripts.
    </p>
    <section aria-labelledby="start-heading">
      <h2 id="start-heading">How to start</h2>
      <ol>
        <li>Open a lesson below: lesson 0 if TypeScript is new to you, lesson 1 for the server itself.</li>
        <li>
          Read its <em>Your task</em>, and write your code in your editor where the lesson's files say
          <code>// TODO:</code>.
        </li>
        <li>
          Press <em>Check my work</em> on the lesson's page (or run <code>npm run lesson N</code>): each save checks
          again.
        </li>
      </ol>
    </section>
    <p>
      <progress max="${lessons.length}" value="${passed}" aria-label="Lessons passed">
        ${passed} of ${lessons.length}
      </progress>
      ${passed} of ${lessons.length} lessons pass.
    </p>
    ${next ? html`<p class="next-lesson">Next: <a href="${lessonPath(next)}">lesson ${next.number}, ${readLessonText(next).title}</a></p>` : html`<p>Every lesson passes. Well done.</p>`}
    <table class="lessons">
      <caption>
        Every lesson, what you build in it, whether it passes, and when it was last checked
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">lesson</th>
          <th scope="col">status</th>
          <th scope="col" class="when">last checked</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${pathsSection(lessons)}`;
  return page('Socket server workbook', body);
}
