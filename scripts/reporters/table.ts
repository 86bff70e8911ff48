// The class table a terminal shows: one row per learner, one column per lesson, the notes under it.
import type { Palette } from '../kernel/colours.ts';
import { seconds } from '../kernel/text.ts';
import { table, wrap } from '../kernel/text.ts';
import { MEMORY_CAP_MB } from '../run/program.ts';
import { RESOURCE_LIMITS } from '../run/launch.ts';
import { CONCURRENCY } from '../grade/stage.ts';
import {
  learnerNotes,
  passedCount,
  short,
  stagesPassed,
  type ClassGrade,
  type Confinement,
  type LessonGrade,
} from '../grade/grades.ts';

/** One row per learner, one short column per lesson, totals on both edges; notes under it. */
export function formatClassTable(grades: ClassGrade, colours: Palette): string {
  const cell = (grade: LessonGrade, notGraded: boolean): string => {
    if (grade.status === 'missing') return '-';
    if (notGraded) return colours.red('?');
    const text = `${passedCount(grade)}/${grade.total}`;
    const flaky = grade.scenarios.some((s) => s.flaky) ? '~' : '';
    return (grade.status === 'pass' ? colours.green(text) : colours.red(text)) + flaky;
  };
  const rows = grades.learners.map((learner) => [
    learner.name,
    ...learner.lessons.map((grade) => cell(grade, learner.notGraded !== undefined)),
    `${stagesPassed(learner)}/${grades.lessons.length}`,
  ]);
  const passing = grades.lessons.map((_, index) =>
    String(grades.learners.filter((l) => l.lessons[index].status === 'pass').length),
  );
  rows.push(['passing', ...passing, '']);
  const out = [table(['learner', ...grades.lessons.map(short), 'stages'], rows)];
  out.push('');
  out.push('Cells: scenarios passed/total; - a missing lesson; ~ flaky; ? not graded.');
  out.push('stages: stages a learner passes; passing: learners whose stage passes.');
  const noted = grades.learners
    .map((learner) => [learner.name, learnerNotes(learner)] as const)
    .filter(([, notes]) => notes.length > 0);
  if (noted.length > 0) {
    out.push('');
    for (const [name, notes] of noted) {
      out.push(colours.yellow(`${name}:`));
      for (const note of notes) out.push(wrap(`- ${note}`, 80, '  ', '    '));
    }
  }
  return out.join('\n');
}

/** Said under a report when learners' programs ran sandboxed: what confined them, the limits, what kept them apart. */
export function sandboxNote(grades: ClassGrade): string {
  if (!grades.sandbox) return '';
  const how = grades.confinement?.bubblewrap
    ? grades.confinement.headline
    : "Learners' programs ran under Node's permission model.";
  const limits = `${MEMORY_CAP_MB} MB of heap per program; ${RESOURCE_LIMITS}.`;
  return `\n${wrap(`${how} ${limits}`, 80)}\n${wrap(grades.isolation, 80)}`;
}

/**
 * The first thing a report says when grading had no operating-system sandbox: why, and what that leaves out. Nothing
 * inside bubblewrap, or for your own lessons.
 */
export function topNote(confinement: Confinement | undefined, width = 80): string {
  if (!confinement || confinement.bubblewrap) return '';
  const lines = [wrap(`! ${confinement.headline}`, width, '', '  '), wrap('  Missing:', width)];
  for (const missing of confinement.missing) lines.push(wrap(`  - ${missing}`, width, '', '    '));
  return lines.join('\n');
}

/** One learner: the per-lesson table, then the notes. */
export function printLearner(grades: ClassGrade, colours: Palette): void {
  const [learner] = grades.learners;
  const rows = learner.lessons.map((grade) => {
    if (grade.status === 'missing') return [grade.lesson.slug, 'missing', '', ''];
    return [
      grade.lesson.slug,
      `${passedCount(grade)}/${grade.total}`,
      grade.status === 'pass' ? colours.green('pass') : colours.red('fail'),
      seconds(grade.durationMs),
    ];
  });
  console.log(table(['lesson', 'scenarios', 'stage', 'time'], rows));
  const notes = learnerNotes(learner).filter((note) => !note.startsWith('missing lesson'));
  if (notes.length > 0)
    console.log(['', ...notes.map((note) => `${colours.yellow('!')} ${wrap(note, 78, '', '  ')}`)].join('\n'));
  const passedStages = stagesPassed(learner);
  console.log(
    `\n${passedStages} of ${grades.lessons.length} stages pass (${seconds(grades.durationMs)}, ${CONCURRENCY} at a time). Run npm run lesson N for the details of one.${sandboxNote(grades)}`,
  );
}
