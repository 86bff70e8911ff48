// Unit: what the grader outside believes of the grader inside a sandbox: every line checked, field by field.
import { describe, expect, it } from 'vitest';
import { eventLine, hear, Malformed, CHANNEL_CAPS, type Asked } from '../../scripts/sandbox/channel.ts';
import { ECHO, scenario } from '../reporters/class.ts';

const asked: Asked = { lessons: new Map([['01-echo', ['echo', 'close']]]), repeat: 2 };
const lessons = [ECHO];
const passing = (name: string) => ({ ...scenario(name), runs: [true, true] });
const result = (scenarios: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event: 'result', lessons: [{ slug: '01-echo', durationMs: 900, scenarios, ...extra }] });
const refusal = (line: string): string => {
  try {
    hear(line, asked, lessons);
  } catch (error) {
    if (error instanceof Malformed) return error.message;
    throw error;
  }
  return 'believed';
};

describe('hear', () => {
  it('believes a result that holds exactly the lessons and scenarios asked for, in order, and grades it', () => {
    const heard = hear(result([passing('echo'), passing('close')]), asked, lessons);
    expect(heard).toMatchObject({ event: 'result', grades: [{ lesson: ECHO, status: 'pass', total: 2 }] });
    const failing = { ...scenario('close', { passed: false, reason: 'Line 2: \u001b[2J' }), runs: [false, false] };
    const mixed = hear(result([passing('echo'), failing]), asked, lessons);
    expect(mixed).toMatchObject({ grades: [{ status: 'fail' }] });
    // What it quotes is shown, never obeyed, even if the inside let a control character through.
    expect(mixed.event === 'result' && mixed.grades[0].scenarios[1].reason).toBe('Line 2: \\x1b[2J');
  });

  it('passes on a scenario event for a lesson asked for, and an error in a line', () => {
    expect(hear('{"event":"scenario","lesson":"01-echo","passed":true}', asked, lessons)).toEqual({
      event: 'scenario',
      lesson: ECHO,
      passed: true,
    });
    expect(hear('{"event":"error","message":"TypeError: x\\n    at y"}', asked, lessons)).toEqual({
      event: 'error',
      message: 'TypeError: x\n    at y',
    });
  });

  it('believes nothing it cannot check: each kind of forgery or damage is refused with what is wrong', () => {
    expect(refusal('not json')).toBe('a line is not JSON');
    expect(refusal('{"event":"graded","passed":true}')).toBe('a line is no event the grader sends');
    expect(refusal('{"event":"scenario","lesson":"02-shout","passed":true}')).toMatch(/names no lesson asked for/);
    expect(refusal(result([passing('echo')]))).toBe('01-echo lacks scenarios');
    expect(refusal(result([passing('close'), passing('echo')]))).toBe('01-echo echo is not the scenario echo');
    expect(refusal(result([passing('echo'), { ...passing('close'), runs: [true] }]))).toMatch(/does not have 2 runs/);
    expect(refusal(result([passing('echo'), { ...passing('close'), passed: false }]))).toMatch(/passes otherwise/);
    expect(refusal(result([passing('echo'), { ...passing('close'), reason: 'fine' }]))).toMatch(
      /reason that does not fit/,
    );
    expect(refusal(result([passing('echo'), { ...passing('close'), score: 100 }]))).toMatch(/fields it should not/);
    expect(refusal(result([passing('echo'), { ...passing('close'), denied: 'root' }]))).toMatch(/unknown was denied/);
    expect(refusal(result([passing('echo'), { ...passing('close'), program: '../x' }]))).toMatch(/names no program/);
    expect(refusal(result([passing('echo'), { ...passing('close'), actual: 'x'.repeat(5000) }]))).toMatch(/too long/);
    expect(refusal(result([passing('echo'), passing('close')], { slug: '02-shout' }))).toMatch(/not the one asked/);
    const two = JSON.stringify({ event: 'result', lessons: [] });
    expect(refusal(two)).toBe('the result does not hold every lesson asked for');
  });
});

describe('eventLine', () => {
  it('writes one line, and gives up the transcripts of a result too long for the channel', () => {
    expect(eventLine({ event: 'scenario', lesson: '01-echo', passed: true })).toBe(
      '{"event":"scenario","lesson":"01-echo","passed":true}\n',
    );
    const long = 'y'.repeat(300);
    const block = Array.from({ length: 400 }, () => long).join('\n');
    const big = { ...scenario('echo'), expected: block, actual: block };
    const scenarios = Array.from({ length: 300 }, () => big);
    const line = eventLine({ event: 'result', lessons: [{ slug: '01-echo', durationMs: 1, scenarios }] });
    expect(Buffer.byteLength(line)).toBeLessThan(CHANNEL_CAPS.line);
    const sent = JSON.parse(line).lessons[0].scenarios[0];
    expect(sent.expected).toBe('');
    expect(sent.actual.split('\n')).toHaveLength(40);
  });
});
