// Unit: the flags every command shares: whole numbers in a range, each refusal one line naming the flag and the range.
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseTimeout, parseWholeNumber } from '../../scripts/kernel/args.ts';

describe('parseWholeNumber', () => {
  it('takes digits within the range, and nothing that only looks like a number', () => {
    const flag = { flag: '--repeat', min: 1, max: 100, unit: 'a number of runs' };
    expect(parseWholeNumber('1', flag)).toBe(1);
    expect(parseWholeNumber('100', flag)).toBe(100);
    for (const text of ['0', '101', '', '1e2', '2.5', ' 3', '-1', '0x10'])
      expect(() => parseWholeNumber(text, flag)).toThrow(
        `--repeat takes a number of runs from 1 to 100, got '${text}'`,
      );
  });

  it('says why the range is what it is, and the usage, when told', () => {
    expect(() => parseWholeNumber('2', { flag: '--runs', min: 3, max: 50, why: 'medians need at least 3' })).toThrow(
      "--runs takes a whole number from 3 to 50 (medians need at least 3), got '2'",
    );
    expect(() => parseWholeNumber('x', { flag: '--port', min: 1, max: 65535, usage: 'npm run web' })).toThrow(
      "--port takes a whole number from 1 to 65535, got 'x'\nusage: npm run web",
    );
  });
});

describe('parseTimeout', () => {
  it('keeps the default when the flag is absent, and stays within what a timer can hold', () => {
    expect(parseTimeout(undefined, 2000)).toBe(2000);
    expect(parseTimeout('5000', 2000)).toBe(5000);
    expect(() => parseTimeout(String(MAX_TIMER_MS + 1), 2000)).toThrow(
      `--timeout takes milliseconds from 100 to ${MAX_TIMER_MS}, got '${MAX_TIMER_MS + 1}'`,
    );
  });
});
