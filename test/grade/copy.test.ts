// Unit: a learner's lessons copied for grading: what is copied, what is left out, and the note that says why.
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyLearner, MOST_FILE_BYTES } from '../../scripts/grade/copy.ts';

const scratch = mkdtempSync(join(tmpdir(), 'workbook-copy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('copyLearner', () => {
  it('copies lessons/ alone: regular files and folders, links that stay inside as links into the copy', () => {
    const home = join(scratch, 'ann');
    mkdirSync(join(home, 'lessons/01-echo/public'), { recursive: true });
    mkdirSync(join(home, 'lessons/01-echo/node_modules/x'), { recursive: true });
    writeFileSync(join(home, 'lessons/01-echo/server.ts'), 'mine\n', { mode: 0o777 });
    writeFileSync(join(home, 'lessons/01-echo/public/index.html'), '<p>hi</p>\n');
    writeFileSync(join(home, 'notes.md'), 'not a lesson\n');
    symlinkSync('01-echo', join(home, 'lessons/02-link'));
    symlinkSync(join(home, 'lessons/01-echo/server.ts'), join(home, 'lessons/01-echo/same.ts'));
    const copy = copyLearner(home);
    try {
      expect(copy.notes).toEqual([]);
      expect(readFileSync(join(copy.dir, 'lessons/01-echo/server.ts'), 'utf8')).toBe('mine\n');
      // Open to all for reading, written by its owner alone, whatever the learner's own mode.
      expect(statSync(join(copy.dir, 'lessons/01-echo/server.ts')).mode & 0o777).toBe(0o644);
      expect(readFileSync(join(copy.dir, 'lessons/02-link/public/index.html'), 'utf8')).toBe('<p>hi</p>\n');
      expect(readlinkSync(join(copy.dir, 'lessons/02-link'))).toBe('01-echo');
      // An absolute link into the learner's folder now leads into the copy.
      expect(readlinkSync(join(copy.dir, 'lessons/01-echo/same.ts'))).toBe('server.ts');
      expect(() => lstatSync(join(copy.dir, 'notes.md'))).toThrow();
      expect(() => lstatSync(join(copy.dir, 'lessons/01-echo/node_modules'))).toThrow();
      // Closed to others: no learner's program may look into another's copy.
      expect(statSync(join(copy.dir, '..')).mode & 0o777).toBe(0o700);
    } finally {
      copy.cleanUp();
    }
    expect(() => lstatSync(copy.dir)).toThrow();
  });

  it('leaves out a link that leads outside, one to nothing, a pipe, and a file over 1 MB, each with a note', () => {
    const home = join(scratch, 'mallory');
    mkdirSync(join(home, 'lessons/01-echo'), { recursive: true });
    const outside = join(scratch, 'secret.txt');
    writeFileSync(outside, 'secret\n');
    symlinkSync(outside, join(home, 'lessons/01-echo/steal.ts'));
    symlinkSync('nowhere.ts', join(home, 'lessons/01-echo/x.ts'));
    spawnSync('mkfifo', [join(home, 'lessons/01-echo/pipe.ts')]);
    writeFileSync(join(home, 'lessons/01-echo/big.bin'), Buffer.alloc(MOST_FILE_BYTES + 1));
    // Refused already, with a note of its own (a lesson's file that leads outside): no second note.
    symlinkSync(outside, join(home, 'lessons/01-echo/refused'));
    // Beside lessons/, never copied: a link out is still noted.
    symlinkSync(scratch, join(home, 'solutions'));
    const copy = copyLearner(home, { refused: (path) => path.endsWith('/refused') });
    try {
      expect(copy.notes).toEqual([
        'lessons/01-echo/big.bin is larger than 1 MB, so it was not copied for grading',
        ...(process.platform === 'win32'
          ? []
          : [
              'lessons/01-echo/pipe.ts is not a regular file or folder (a pipe, a socket or a device), so it was not copied for grading',
            ]),
        `lessons/01-echo/steal.ts leads outside the learner's folder (to ${outside}), so it was not copied for grading`,
        'lessons/01-echo/x.ts is a link to nothing (nowhere.ts), so it was not copied for grading',
        `solutions leads outside the learner's folder (to ${scratch}); only lessons/ is graded, so it was not copied`,
      ]);
    } finally {
      copy.cleanUp();
    }
  });
});
