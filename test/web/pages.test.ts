// Unit: the pages as HTML, built in process from the real course: bearings on the home page, a lesson's table of
// contents, results that show one failure at a time, and what a pass shows.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLessons, type Lesson } from '../../scripts/course/lessons.ts';
import { lessonFingerprint, lessonStatus, type Progress } from '../../scripts/course/progress.ts';
import type { StageResult } from '../../scripts/grade/stage.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { mistakesHtml, solutionDiffHtml } from '../../scripts/web/compare.ts';
import { homePage } from '../../scripts/web/home.ts';
import { lessonPage } from '../../scripts/web/pages.ts';
import { scenarioHtml, stageHtml } from '../../scripts/web/results.ts';
import { ROOT } from '../support.ts';

const lessons = listLessons(ROOT);
const lesson = (number: number): Lesson => lessons.find((candidate) => candidate.number === number)!;
const fresh: Progress = { version: 1, lessons: {} };
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the home page', () => {
  const page = homePage(ROOT, lessons, fresh);

  it('says what the workbook is and how to start', () => {
    expect(page).toContain('<h1>Socket server workbook</h1>');
    expect(page).toContain('A hands-on course in network server programming');
    expect(page).toContain('<h2 id="start-heading">How to start</h2>');
  });

  it('gives each lesson a line of what it builds, and the programs as npm run progress prints them', () => {
    expect(page).toMatch(/The receive loop<\/a>\s*<span class="summary">an echo server that reads until the client/);
    expect(page.match(/<span class="summary">/g)).toHaveLength(lessons.length);
    const paths = /<ul class="paths">(.*?)<\/ul>/s.exec(page)?.[1] ?? '';
    expect(
      paths
        .replace(/<[^>]+>/g, '')
        .replace(/&#62;/g, '>')
        .replace(/\s+/g, ' '),
    ).toContain('01 > 02 > 03 > 04 > 05');
    expect(paths).toContain('<a href="/lessons/13-handler-classes">13</a>');
    expect(paths).toMatch(/on their own: .*00/s);
  });
});

describe('a lesson page', () => {
  const page = lessonPage(ROOT, lessons, lesson(4), fresh);

  it('has a table of contents and a jump to Your task, whose heading carries the anchor', () => {
    expect(page).toContain('<a href="#your-task" class="jump">Jump to Your task</a>');
    const toc = /<nav class="toc"[^>]*>(.*?)<\/nav>/s.exec(page)?.[1] ?? '';
    expect(toc).toContain('<a href="#your-task">Your task</a>');
    expect(toc).toContain('<a href="#scenarios-heading">The scenarios this lesson checks</a>');
    expect(toc).not.toContain('Hints');
    expect(page).toContain('<h2 id="your-task">Your task</h2>');
    expect(page.indexOf('<nav class="toc"')).toBeGreaterThan(page.indexOf('</h1>'));
  });

  it('puts a Mermaid drawing first and its source behind a toggle', () => {
    expect(page).toMatch(
      /<div class="drawing"[^>]*><svg .*?<\/svg><\/div><details class="source"><summary>Mermaid source<\/summary>/s,
    );
  });

  it('lists the hints seen in the order they were shown', () => {
    const seen: Progress = {
      version: 1,
      lessons: { [lesson(4).slug]: { passed: false, hintsShown: 2, hintsSeen: [3, 0] } },
    };
    const hints = /<ol id="hint-list"[^>]*>(.*?)<\/ol>/s.exec(lessonPage(ROOT, lessons, lesson(4), seen))?.[1] ?? '';
    expect(hints.indexOf('If the echo tests fail')).toBeLessThan(hints.indexOf('for await (const data of conn)'));
    expect(hints).toContain('hint 2 of 8');
  });
});

describe('a lesson status', () => {
  it('says the files changed since the check, after an edit or a reset, instead of what the check said', () => {
    const root = mkdtempSync(join(tmpdir(), 'workbook-status-'));
    temporary.push(root);
    cpSync(join(ROOT, 'lessons/04-receive-loop'), join(root, 'lessons/04-receive-loop'), { recursive: true });
    const [copy] = listLessons(root);
    const progress: Progress = {
      version: 1,
      lessons: {
        [copy.slug]: {
          passed: true,
          checkedAt: '2026-11-21T10:00:00Z',
          hintsShown: 0,
          fingerprint: lessonFingerprint(copy),
        },
      },
    };
    expect(lessonStatus(progress, copy)).toBe('passes');
    const file = join(copy.dir, 'server.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}// edited\n`);
    expect(lessonStatus(progress, copy)).toBe('changed');
  });
});

const failing = (name: string, stderr?: string[]): ScenarioResult => ({
  name,
  program: 'server.ts',
  passed: false,
  expected: '$ server\nA: connect\nA: recv "hi"',
  actual: '$ server\nA: connect',
  failure: { message: 'Waited 2.0 s for 2 bytes at client A, but nothing arrived.', stderr },
  complete: false,
  durationMs: 2000,
});

function stage(scenarios: ScenarioResult[], passed = false): StageResult {
  const four = lesson(4);
  return {
    lesson: four,
    programDir: four.dir,
    courseRoot: ROOT,
    cwd: ROOT,
    programs: ['server.ts'],
    scenarios,
    total: 7,
    passed,
    durationMs: 1,
  };
}

describe('results', () => {
  it('folds a failure into a closed card the page opens, and says a compile error once, above the cards', () => {
    const card = scenarioHtml(failing('echo'), ROOT, 1).text;
    expect(card).toMatch(
      /^<li class="scenario fail" data-scenario="echo" data-index="1"><details class="failure">\s*<summary><h3>/,
    );
    expect(card).toContain('Waited 2.0 s for 2 bytes at client A, but nothing arrived.');
    const compile = [
      `file://${ROOT}/lessons/04-receive-loop/server.ts:4`,
      'const x;',
      '      ^',
      '',
      "SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: 'const' declarations must be initialized",
    ];
    const broken = scenarioHtml(failing('echo', compile), ROOT, 0).text;
    expect(broken).toContain('the program does not compile (see above)');
    expect(broken).not.toContain('<details');
    const verdict = stageHtml(stage([failing('echo', compile), failing('split', compile)]), undefined, false).text;
    expect(verdict.match(/does not compile/g)).toHaveLength(1);
  });

  it("says TypeScript's errors first, the count, what to edit, and which failure the next hint is for", () => {
    const typeErrors = [
      {
        file: join(ROOT, 'lessons/04-receive-loop/server.ts'),
        line: 18,
        column: 12,
        code: 'TS2551',
        message: "Property 'wirte' does not exist on type 'Socket'. Did you mean 'write'?",
      },
    ];
    const verdict = stageHtml(stage([failing('echo')]), undefined, false, { typeErrors, hintFor: 'echo' }).text;
    expect(verdict.indexOf('TypeScript finds 1 error in your files')).toBeLessThan(verdict.indexOf('failed.'));
    expect(verdict).toContain(
      '<code>lessons/04-receive-loop/server.ts:18:12</code>: Property <code>wirte</code> does not exist',
    );
    expect(verdict).toContain(
      '<strong>1 of 7 scenarios failed.</strong> Edit <code>lessons/04-receive-loop/server.ts</code>',
    );
    expect(verdict).toContain('<a href="#hints">The next hint</a> is for echo.');
    expect(stageHtml(stage([], true), lesson(5), false).text).toContain(
      '<strong>Lesson 4 passes</strong> (7 scenarios,',
    );
  });
});

describe('after a pass', () => {
  it('shows yours against the reference folded to the change, a line per line, labelled with both files', () => {
    const root = mkdtempSync(join(tmpdir(), 'workbook-compare-'));
    temporary.push(root);
    for (const side of ['lessons', 'solutions'])
      cpSync(join(ROOT, side, '04-receive-loop'), join(root, side, '04-receive-loop'), { recursive: true });
    const [copy] = listLessons(root);
    const reference = readFileSync(join(copy.solutionDir, 'server.ts'), 'utf8');
    writeFileSync(join(copy.dir, 'server.ts'), reference.replace('conn.write(data);', 'conn.write(data); // mine'));
    const html = solutionDiffHtml(copy, ['server.ts'], root).text.replace(/\s+/g, ' ');
    expect(html).toContain(
      'yours (<code>lessons/04-receive-loop/server.ts</code>, lines marked −) against the reference (<code>solutions/04-receive-loop/server.ts</code>',
    );
    expect(html).toMatch(/<span class="hunk">lines \d+-\d+ of yours, \d+-\d+ of the reference<\/span>/);
    expect(html.match(/<span class="(add|del|same)">/g)).toHaveLength(8);
    expect(html).not.toContain('initializeServerSocket');
    expect(html).toMatch(/<\/span><span class="add">/);
    expect(html).toContain('<span class="hljs-comment">// mine</span>');
    writeFileSync(join(copy.dir, 'server.ts'), reference);
    expect(solutionDiffHtml(copy, ['server.ts'], root).text).toContain('Yours is the same as the reference.');
  });

  it("lists the mistakes this stage catches: each mutant's sentence, where it is caught, and its patch", () => {
    const html = mistakesHtml(lesson(4)).text;
    expect(html).toContain('<h3 id="mistakes-heading">Mistakes this stage catches</h3>');
    const patches = readdirSync(join(lesson(4).solutionDir, 'mutants')).filter((name) => name.endsWith('.diff'));
    expect(html.match(/<li>/g)).toHaveLength(patches.length);
    expect(html).toContain(
      '<summary>The echo uses conn.end(data), which closes the connection after the first chunk.</summary>',
    );
    expect(html).toContain('Caught by <code>echo.txt:11</code>');
    expect(html).toMatch(/<span class="add"><span class="sign" aria-hidden="true">\+<\/span>.*conn.*end/);
  });
});
