// npm run lesson N: checks one stage of the learner's work (or the reference, with --solution).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, stopProgramsOnInterrupt } from './runner/cli.ts';
import { listLessons, readLessonText, WORKBOOK_ROOT } from './runner/course.ts';
import { chooseLesson, entryFor, loadProgress, saveProgress } from './runner/progress.ts';
import { EXIT, runMain, WorkbookError } from './runner/errors.ts';
import { formatStage, palette } from './runner/report.ts';
import { DEFAULT_TIMING, runStage } from './runner/stage.ts';

const USAGE = 'npm run lesson [N] [-- --solution] [--update] [--timeout MS] [--root COURSE_DIR]';

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solution: { type: 'boolean', default: false },
      update: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      root: { type: 'string' },
    },
    USAGE,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const { progress, note } = loadProgress(root);
  if (note) console.error(note);
  const lesson = chooseLesson(lessons, positionals, progress, 'lesson');
  if (values.update && !values.solution) {
    throw new WorkbookError('--update rewrites the transcripts from the reference solution, never from your own work: add --solution');
  }
  stopProgramsOnInterrupt();
  const programDir = values.solution ? lesson.solutionDir : lesson.dir;
  const stage = await runStage(
    { lesson, programDir, courseRoot: root, cwd: root },
    { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) },
  );
  const next = lessons[lessons.indexOf(lesson) + 1];
  const flag = values.solution ? ' -- --solution' : '';
  const text = readLessonText(lesson);
  console.log(
    formatStage(
      stage,
      {
        title: text.title,
        hints: values.solution ? [] : text.hints,
        againCommand: `npm run lesson ${lesson.number}${flag}`,
        nextCommand: next && `npm run lesson ${next.number}${flag}`,
        cwd: process.cwd(),
      },
      palette(),
    ),
  );
  // Only the learner's own work counts as progress; checking the reference says nothing about it.
  if (!values.solution) {
    Object.assign(entryFor(progress, lesson), { passed: stage.passed, checkedAt: new Date().toISOString() });
    saveProgress(root, progress);
  }
  if (values.update) return update(stage.scenarios.map((s, i) => ({ ...s, file: join(lesson.dir, 'transcripts', `${s.name}.txt`), index: i })));
  return stage.passed ? EXIT.pass : EXIT.fail;
}

function update(scenarios: { file: string; actual: string; expected: string; complete: boolean }[]): number {
  let refused = 0;
  for (const scenario of scenarios) {
    if (scenario.actual === scenario.expected) continue;
    if (!scenario.complete) {
      console.log(`not updated: ${scenario.file} (the run stopped early, so its record is incomplete)`);
      refused++;
      continue;
    }
    writeFileSync(scenario.file, `${scenario.actual}\n`);
    console.log(`updated: ${scenario.file}`);
  }
  return refused === 0 ? EXIT.pass : EXIT.fail;
}

runMain(main);
