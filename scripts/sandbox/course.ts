// The course as the sandbox sees it: each lesson's transcripts and the helpers they start, for the grader alone.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { loadScenarios } from '../grade/stage.ts';

export const COURSE_PREFIX = 'workbook-course-';

export interface StagedCourse {
  /** Holds lessons/NN-slug/transcripts/*.txt and the helper programs at their paths: nothing else of the course. */
  dir: string;
  /** The sandbox's /etc/nsswitch.conf. */
  nsswitch: string;
  cleanUp(): void;
}

/**
 * Copies what the grader inside a sandbox reads: the transcripts, and the workbook's own programs a transcript starts
 * (`& solutions/...`). The folder is root's alone (0700): a learner's program, running as its own user, cannot read it,
 * and no other solution, mutant or README is there at all.
 */
export function stageCourse(root: string, lessons: Lesson[]): StagedCourse {
  const scratch = mkdtempSync(join(tmpdir(), `${COURSE_PREFIX}${process.pid}-`));
  chmodSync(scratch, 0o700);
  const dir = join(scratch, 'course');
  for (const lesson of lessons) {
    const scenarios = loadScenarios(lesson);
    const transcripts = join(dir, 'lessons', lesson.slug, 'transcripts');
    mkdirSync(transcripts, { recursive: true, mode: 0o700 });
    for (const { file } of scenarios) copyFileSync(file, join(transcripts, basename(file)));
    const helpers = scenarios.flatMap(({ steps }) =>
      steps.flatMap((step) => (step.kind === 'background' ? [step.path] : [])),
    );
    // A helper comes with the files beside it, which it may import; one that does not exist is the transcript's to
    // report when it runs, as it is outside a sandbox.
    for (const folder of new Set(helpers.filter((helper) => existsSync(join(root, helper))).map(dirname))) {
      mkdirSync(join(dir, folder), { recursive: true, mode: 0o700 });
      for (const entry of readdirSync(join(root, folder), { withFileTypes: true }))
        if (entry.isFile()) copyFileSync(join(root, folder, entry.name), join(dir, folder, entry.name));
    }
  }
  chmodSync(dir, 0o700);
  // Names resolve from /etc/hosts alone: there is no network to ask, so a name not there does not exist (ENOTFOUND),
  // as lesson 8 expects, rather than a lookup that cannot be tried (EAI_AGAIN).
  const nsswitch = join(scratch, 'nsswitch.conf');
  writeFileSync(nsswitch, 'hosts: files\n', { mode: 0o644 });
  return { dir, nsswitch, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
}
