// Results as they happen while a class is graded: a line per lesson for one learner, a line per learner for a class.
import type { Lesson } from '../course/lessons.ts';
import type { Palette } from '../kernel/colours.ts';
import { seconds } from '../kernel/text.ts';
import type { ScenarioDone } from '../grade/class.ts';
import type { Learner } from '../grade/learners.ts';

interface Tally {
  expected: number;
  run: number;
  passed: number;
}

/** Counts finished scenarios per learner (or per lesson) and prints a line when the last of a group is in. */
export function liveProgress(
  learners: Learner[],
  lessons: { lesson: Lesson; scenarios: number; present: (learner: Learner) => boolean }[],
  repeat: number,
  print: (line: string) => void,
  colours: Palette,
): ScenarioDone {
  const started = Date.now();
  const perLesson = learners.length === 1;
  const tallies = new Map<string, Tally>();
  const key = (learner: Learner, lesson: Lesson): string => (perLesson ? lesson.slug : learner.dir);
  for (const learner of learners) {
    for (const { lesson, scenarios, present } of lessons) {
      if (!present(learner)) continue;
      const tally = tallies.get(key(learner, lesson)) ?? { expected: 0, run: 0, passed: 0 };
      tally.expected += scenarios * repeat;
      tallies.set(key(learner, lesson), tally);
    }
  }
  return (learner: Learner, lesson: Lesson, passed: boolean) => {
    const name = perLesson ? lesson.slug : learner.name;
    const tally = tallies.get(key(learner, lesson));
    if (!tally) return;
    tally.run++;
    if (passed) tally.passed++;
    if (tally.run !== tally.expected) return;
    const mark = tally.passed === tally.expected ? colours.green('✓') : colours.red('✗');
    print(
      `${mark} ${name}: ${tally.passed} of ${tally.expected} scenario runs pass (${seconds(Date.now() - started)})`,
    );
  };
}
