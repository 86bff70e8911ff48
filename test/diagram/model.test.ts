// Unit: transcripts become diagram events, a failing run marks its first bad step, and both renderers show them.
import { describe, expect, it } from 'vitest';
import { diagramOfResult, firstDeparture } from '../../scripts/diagram/failure.ts';
import { bytesLabel, diagramOf, PROGRAM_LANE } from '../../scripts/diagram/model.ts';
import { renderSvg } from '../../scripts/diagram/svg.ts';
import { renderText } from '../../scripts/diagram/text.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';

const ECHO = `# A client says hello; the server echoes it.
$ server
Starting server on 'localhost' port 12345
A: connect
Received new connection from {A.addr}:{A.port}
A: send "Hello\\n"
A: recv "Hello\\n"
A: end
A: eof
A: abort
! a warning
^C
[exit 0]`;

function failing(expected: string, actual: string, line: number, source: string, message: string): ScenarioResult {
  return {
    name: 'echo',
    program: 'server.ts',
    passed: false,
    expected,
    actual,
    complete: false,
    durationMs: 5,
    failure: { step: { kind: 'comment', text: '', line, source }, message },
  };
}

describe('the diagram model', () => {
  it('draws a flood of grouped lines with a short label, and [output] as a note across the diagram', () => {
    const diagram = diagramOf('[output 16777216 bytes]\n$ server\nA: connect\nA: send ("x" * 999 "\\n") * 8000 "\\n"');
    expect(diagram.events[0]).toMatchObject({
      type: 'mark',
      kind: 'comment',
      text: 'may print up to 16777216 bytes on each stream',
    });
    expect(diagram.events.at(-1)).toMatchObject({
      type: 'arrow',
      kind: 'send',
      label: '("x" * 999 "\\n") * 8000 "\\n"',
    });
  });

  it('turns steps into lanes, arrows, notes and marks', () => {
    const diagram = diagramOf(ECHO);
    expect(diagram.caption).toBe('A client says hello; the server echoes it.');
    expect(diagram.lanes.map((lane) => lane.label)).toEqual(['server', 'client A']);
    const summary = diagram.events.map((event) =>
      event.type === 'arrow'
        ? `${event.kind} ${event.from}->${event.to} ${event.label}`
        : `${event.type} ${event.kind} ${event.type === 'note' ? event.text : event.text}`,
    );
    expect(summary).toEqual([
      'mark start $ server',
      "note stdout Starting server on 'localhost' port 12345",
      `connect client:A->${PROGRAM_LANE} connect (SYN)`,
      'note stdout Received new connection from {A.addr}:{A.port}',
      `send client:A->${PROGRAM_LANE} "Hello\\n"`,
      `receive ${PROGRAM_LANE}->client:A "Hello\\n"`,
      `half-close client:A->${PROGRAM_LANE} FIN (end: half-close)`,
      `close ${PROGRAM_LANE}->client:A FIN (closed)`,
      `reset client:A->${PROGRAM_LANE} RST (abort)`,
      'note stderr a warning',
      'mark interrupt Ctrl-C: SIGINT',
      'mark exit exits with code 0',
    ]);
    expect(diagram.events[0].line).toBe(2);
  });

  it('shortens long payloads and keeps the whole text for the tooltip', () => {
    expect(bytesLabel(Buffer.from('hi\n'))).toEqual({ label: '"hi\\n"' });
    const long = bytesLabel(Buffer.from('a fairly long message that will not fit on an arrow\n'));
    expect(long.label).toMatch(/^"a fairly.*… \(52 bytes\)$/);
    expect(long.label.length).toBeLessThanOrEqual(36);
    expect(long.detail).toBe('"a fairly long message that will not fit on an arrow\\n"');
    expect(bytesLabel(Buffer.alloc(1 << 20, 'x')).label).toBe('"x" * 1048576');
  });

  it('draws lines only a record holds (a client error) as comments on their lane, without throwing', () => {
    const diagram = diagramOf('$ server\nA: connect\nA: # error connect ECONNREFUSED\n# ended by SIGKILL');
    expect(diagram.events.at(-2)).toMatchObject({
      type: 'mark',
      kind: 'comment',
      lane: 'client:A',
      text: 'error connect ECONNREFUSED',
    });
    expect(diagram.events.at(-1)).toMatchObject({ type: 'mark', kind: 'comment', text: 'ended by SIGKILL' });
    expect(diagram.events.at(-1)).not.toHaveProperty('lane');
  });
});

describe('a failing run', () => {
  it('highlights what came instead of the expected step, with the expected step beside it', () => {
    const expected = '$ server\nA: connect\nA: send "Hi\\n"\nA: recv "Hi\\n"\n^C';
    const actual = '$ server\nA: connect\nA: send "Hi\\n"\nA: recv "HI\\n"\n^C';
    const diagram = diagramOfResult(
      failing(
        expected,
        actual,
        4,
        'A: recv "Hi\\n"',
        'Expected client A to receive "Hi\\n", but it got `A: recv "HI\\n"`.',
      ),
    );
    const flagged = diagram.events.filter((event) => event.status);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({
      status: 'failed',
      type: 'arrow',
      label: '"HI\\n"',
      expected: 'A: recv "Hi\\n"',
      line: 4,
    });
    expect(diagram.reason).toBe(
      'Line 4, `A: recv "Hi\\n"`: Expected client A to receive "Hi\\n", but it got `A: recv "HI\\n"`.',
    );
  });

  it('draws a step that never happened where it belonged, as missing', () => {
    const expected = '$ server\nA: connect\nA: send "Hi\\n"\nA: recv "Hi\\n"\n^C';
    const actual = '$ server\nA: connect\nA: send "Hi\\n"';
    const diagram = diagramOfResult(
      failing(expected, actual, 4, 'A: recv "Hi\\n"', 'Waited 2.0 s for 3 bytes at client A, but nothing arrived.'),
    );
    expect(diagram.events.at(-1)).toMatchObject({
      status: 'missing',
      type: 'arrow',
      kind: 'receive',
      expected: 'A: recv "Hi\\n"',
    });
    expect(firstDeparture(expected, actual)).toEqual({ actualLine: 4, expected: 'A: recv "Hi\\n"', added: false });
  });

  it('marks the end when the record matches but the run still failed', () => {
    const text = '$ server\n^C';
    const result = {
      ...failing(text, text, 0, '', ''),
      failure: { message: 'The program was still running 2.0 s after Ctrl-C.' },
    };
    expect(diagramOfResult(result).events.at(-1)).toMatchObject({ type: 'mark', kind: 'failure', status: 'failed' });
  });
});

describe('the SVG renderer', () => {
  it('draws a lane per participant and every arrow with its bytes', () => {
    const svg = renderSvg(diagramOf(ECHO), { title: 'Expected: echo' });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Expected: echo"/);
    expect(svg.match(/class="sd-life"/g)).toHaveLength(2);
    expect(svg).toContain('<g class="sd-head" data-lane="program">');
    expect(svg).toContain('>client A</text>');
    expect(svg).toMatch(/<g class="sd-arrow sd-send" data-line="6">.*<line [^>]*\/>.*&#34;Hello\\n&#34;<\/text><\/g>/s);
    expect(svg).toMatch(/class="sd-note sd-stderr"[^>]*>.*stderr: a warning/s);
    expect(svg).not.toContain('data-status');
    // Text in the drawing is escaped: a payload cannot inject markup.
    expect(renderSvg(diagramOf('$ server\n<b>'), { title: 't' })).toContain('&#60;b&#62;');
  });

  it('highlights the failing step and shows the expected one beside it', () => {
    const expected = '$ server\nA: connect\nA: recv "Hi\\n"';
    const svg = renderSvg(
      diagramOfResult(failing(expected, '$ server\nA: connect\nA: recv "HI\\n"', 3, 'A: recv "Hi\\n"', 'got HI')),
      { title: 'What happened' },
    );
    expect(svg).toMatch(/<g class="sd-arrow sd-receive sd-failed" data-line="3" data-status="failed">/);
    // The expected step is drawn as its own arrow, just under what came instead.
    expect(svg).toMatch(
      /<g class="sd-callout sd-arrow sd-receive" data-expected="A: recv &#34;Hi\\n&#34;">.*<line [^>]*\/>.*>expected: &#34;Hi\\n&#34;<\/text><\/g>/,
    );
  });
});

describe('the text renderer', () => {
  it('draws lanes, arrows with their bytes, and notes', () => {
    const text = renderText(diagramOf(ECHO), { width: 76 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('# A client says hello; the server echoes it.');
    expect(lines[1]).toMatch(/^\s+server\s+client A$/);
    expect(text).toMatch(/\|<-+ "Hello\\n" -+\|/);
    expect(text).toMatch(/\|-+ "Hello\\n" -+>\|/);
    expect(text).toContain("| Starting server on 'localhost' port 12345");
    expect(text).toContain('| * exits with code 0');
    for (const line of lines.filter((line) => line.includes('"Hello'))) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('marks the failing step and names the expected one', () => {
    const expected = '$ server\nA: connect\nA: recv "Hi\\n"';
    const text = renderText(
      diagramOfResult(failing(expected, '$ server\nA: connect', 3, 'A: recv "Hi\\n"', 'nothing arrived')),
      { width: 100 },
    );
    expect(text).toMatch(/^x .*never happened.*<-- expected: A: recv "Hi\\n"$/m);
    expect(text.split('\n').at(-1)).toBe('Line 3, `A: recv "Hi\\n"`: nothing arrived');
  });
});
