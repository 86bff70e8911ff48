// Unit: drawings that read: text wrapped not cut, nothing clipped, frames, spanning notes, halos, a legend, stderr's
// own colour, and the program's real exit in what happened.
import { describe, expect, it } from 'vitest';
import { diagramOfResult } from '../../scripts/diagram/failure.ts';
import { diagramOfMermaid } from '../../scripts/diagram/mermaid.ts';
import { diagramOf } from '../../scripts/diagram/model.ts';
import { renderSvg, wrapText } from '../../scripts/diagram/svg.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';

/** The words of every <text> in the drawing, joined: what a reader can read in it. */
const textsOf = (svg: string): string[] =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map(([, inner]) =>
    inner.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
  );

describe('renderSvg', () => {
  it('wraps a long note over lines, every word kept, none cut with an ellipsis', () => {
    const record =
      "{A.addr}:{A.port} auth.crit mymachine.example.com su: 'su root' failed for lonvick on /dev/pts/8 and then some more words";
    const svg = renderSvg(diagramOf(`$ collector\n${record}`), { title: 't' });
    const texts = textsOf(svg);
    expect(texts.join(' ').replace(/\s+/g, ' ')).toContain(record);
    expect(texts.some((line) => line.includes('…'))).toBe(false);
    expect(texts.filter((line) => record.includes(line)).length).toBeGreaterThan(1);
    expect(wrapText('aaaa bb ccccccccc', 4)).toEqual(['aaaa', 'bb', 'cccc', 'cccc', 'c']);
  });

  it('clips nothing: a wide note centred on the first lane moves the whole drawing right', () => {
    const diagram = diagramOfMermaid(
      'sequenceDiagram\n participant K as Kernel\n participant S as Server\n Note over K: a long note about what the kernel does with every new connection',
    )!;
    const svg = renderSvg(diagram, { title: 't' });
    const shift = Number(/translate\((\d+) 0\)/.exec(svg)?.[1]);
    expect(shift).toBeGreaterThan(0);
    for (const [, x] of svg.matchAll(/<rect[^>]* x="(-?[\d.]+)"/g)) expect(Number(x) + shift).toBeGreaterThanOrEqual(0);
    const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
    for (const [, x, w] of svg.matchAll(/<rect[^>]* x="(-?[\d.]+)" y="[\d.]+" width="([\d.]+)"/g))
      expect(Number(x) + Number(w) + shift).toBeLessThanOrEqual(width);
  });

  it('draws alt/else as a frame with its label, a dashed line for else, and a note over two lanes as one box', () => {
    const diagram = diagramOfMermaid(
      [
        'sequenceDiagram',
        '  participant C as Client',
        '  participant S as Server',
        '  Note over C,S: both directions are closed',
        '  alt the client closed fully',
        '    C->>S: FIN',
        '  else the client aborts',
        '    C-xS: RST',
        '  end',
      ].join('\n'),
    )!;
    const svg = renderSvg(diagram, { title: 't' });
    const frame = /<g class="sd-frame">.*?<\/g>/s.exec(svg)?.[0] ?? '';
    expect(frame).toContain('>alt the client closed fully</text>');
    expect(frame).toContain('>[the client aborts]</text>');
    expect(frame).toMatch(/<line [^>]*\/>/);
    const span = /<g class="sd-span sd-comment"[^>]*>.*?<rect[^>]* width="([\d.]+)"/s.exec(svg);
    expect(Number(span?.[1])).toBeGreaterThan(170);
  });

  it('puts arrow labels on a halo, gives stderr a colour of its own, and adds a legend of what is used when asked', () => {
    const diagram = diagramOf('$ server\nA: connect\nA: send "hi"\n! a warning');
    const svg = renderSvg(diagram, { title: 't', legend: true });
    expect(svg).toMatch(/\.sd-arrow text[^{]*\{[^}]*paint-order:stroke;stroke:#fff/);
    const stderr = /\.sd-stderr rect\{fill:(#\w+);stroke:(#\w+)\}/.exec(svg)!;
    expect([stderr[1], stderr[2]]).not.toContain('#ffebe9');
    expect([stderr[1], stderr[2]]).not.toContain('#cf222e');
    const legend = /<g class="sd-legend"[^>]*>.*?<\/g><\/g>|<g class="sd-legend".*$/ms.exec(svg)?.[0] ?? '';
    expect(textsOf(legend)).toEqual(['bytes', 'connect, close', 'stderr']);
    expect(renderSvg(diagram, { title: 't' })).not.toContain('class="sd-legend"');
  });
});

describe('diagramOfResult', () => {
  it('draws how the program really ended, before the step that never happened', () => {
    const result: ScenarioResult = {
      name: 'echo',
      program: 'server.ts',
      passed: false,
      expected: '$ server\nA: connect\nA: recv "hi"',
      actual: '$ server\nA: connect',
      failure: { message: 'm', exit: { code: 1, signal: null }, stderr: ['boom'] },
      complete: false,
      durationMs: 1,
    };
    const events = diagramOfResult(result, '/w').events;
    const exit = events.findIndex((event) => event.type === 'mark' && event.kind === 'exit');
    expect(events[exit]).toMatchObject({ text: 'exited with code 1', lane: 'program' });
    expect(events.findIndex((event) => event.status === 'missing')).toBeGreaterThan(exit);
    expect(renderSvg(diagramOfResult(result, '/w'), { title: 't' })).toContain('>exited with code 1</text>');
  });
});
