// A check streamed to the page as server-sent events: each scenario's result as it finishes, then the verdict.
// Saving a lesson file checks again (the same CheckWatcher as --watch); closing the stream ends the check and its
// programs.
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { WorkbookError } from '../kernel/errors.ts';
import { recordCheck } from '../course/progress.ts';
import { loadScenarios, programsOf, runStages, type TimingOptions } from '../grade/stage.ts';
import { programFiles } from '../course/files.ts';
import { upcomingHint } from '../course/hints.ts';
import { typeErrors, type TypeScriptError } from '../course/typescript.ts';
import { mistakesHtml, solutionDiffHtml } from './compare.ts';
import { watchLesson, type CheckWatcher } from '../course/watch.ts';
import { scenarioHtml, stageHtml } from './results.ts';

export interface CheckContext {
  root: string;
  lessons: Lesson[];
  lesson: Lesson;
  solution: boolean;
  timing: TimingOptions;
  poll: boolean;
}

/** Every stream open now, so stopping the server can end their checks. */
export class CheckStreams {
  private readonly open = new Set<{ slug: string; watcher: CheckWatcher; response: ServerResponse }>();
  /** How many checks have started, over the server's life: tests use it to know a re-check began. */
  runs = 0;

  get size(): number {
    return this.open.size;
  }

  async stream(response: ServerResponse, context: CheckContext): Promise<void> {
    // One check per lesson at a time: a second page (or a page that asks again and again) waits for the first.
    if ([...this.open].some((entry) => entry.slug === context.lesson.slug)) {
      response.writeHead(409, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return void response.end('A check of this lesson is already running, in another tab or window.\n');
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown): void => {
      if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const { lesson, solution } = context;
    const programDir = solution ? lesson.solutionDir : lesson.dir;
    const watcher = watchLesson(lesson, programDir, {
      poll: context.poll,
      onSave: (path, interrupted) => send('saved', { file: basename(path), interrupted }),
      run: (signal) => this.check(context, signal, send),
    });
    const entry = { slug: lesson.slug, watcher, response };
    this.open.add(entry);
    // The page went away or asked for a new check: this one is abandoned, and its programs are stopped.
    response.once('close', () => {
      this.open.delete(entry);
      void watcher.close();
    });
    send('watching', { lesson: lesson.slug, solution });
    await watcher.start();
  }

  private async check(
    context: CheckContext,
    signal: AbortSignal,
    send: (event: string, data: unknown) => void,
  ): Promise<void> {
    const { root, lesson, lessons, solution } = context;
    this.runs++;
    try {
      const scenarios = loadScenarios(lesson);
      const names = scenarios.map((scenario) => basename(scenario.file, '.txt'));
      const programs = programsOf(scenarios);
      send('start', { scenarios: names });
      const programDir = solution ? lesson.solutionDir : lesson.dir;
      const request = { lesson, programDir, courseRoot: root, cwd: root };
      let typeCheck: Promise<TypeScriptError[]> | undefined;
      const [stage] = await runStages(
        [request],
        { ...context.timing, signal },
        {
          onScenario: (_request, result, index) => {
            if (signal.aborted) return;
            // TypeScript is asked at the first failure, while the rest still run: a passing stage pays nothing.
            if (!result.passed) typeCheck ??= typeErrors(programDir, programFiles(programDir, programs));
            send('scenario', {
              index,
              name: result.name,
              passed: result.passed,
              html: scenarioHtml(result, root, index).text,
            });
          },
        },
      );
      const typeErrorsFound = stage.passed ? [] : await (typeCheck ?? Promise.resolve([]));
      if (signal.aborted) return send('stopped', {});
      // Only the learner's own work counts as progress; the state is read afresh so a hint shown meanwhile is kept.
      const failing = stage.scenarios.filter((scenario) => !scenario.passed).map((scenario) => scenario.name);
      if (!solution) recordCheck(root, lesson, stage.passed, failing);
      const hint = solution ? undefined : upcomingHint(root, lesson);
      const next = lessons[lessons.indexOf(lesson) + 1];
      const extras = { typeErrors: typeErrorsFound, hintFor: hint?.for };
      const after =
        stage.passed && !solution
          ? solutionDiffHtml(lesson, stage.programs, root).text + mistakesHtml(lesson).text
          : '';
      send('stage', { passed: stage.passed, html: stageHtml(stage, next, solution, extras).text + after, hint });
    } catch (error) {
      // A transcript saved half-written is the learner's to fix: say so and keep watching.
      if (!(error instanceof WorkbookError)) throw error;
      send('problem', { message: error.message });
    }
  }

  /** Ends every stream and waits until the programs of their checks are gone. */
  async closeAll(): Promise<void> {
    const entries = [...this.open];
    this.open.clear();
    await Promise.all(entries.map(({ watcher }) => watcher.close()));
    for (const { response } of entries) response.end();
  }
}
