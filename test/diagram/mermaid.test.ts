// Unit: the Mermaid sequenceDiagram subset becomes the workbook's diagram model, and anything else is left as source.
import { describe, expect, it } from 'vitest';
import { diagramOfBlock, textDiagramOfBlock } from '../../scripts/diagram/blocks.ts';
import { diagramOfMermaid } from '../../scripts/diagram/mermaid.ts';
import { renderSvg } from '../../scripts/diagram/svg.ts';

const HANDSHAKE = `sequenceDiagram
    participant C as Client
    participant S as Server
    %% the three-way handshake
    C->>S: SYN
    S-->>C: SYN-ACK
    C->>+S: ACK
    Note over C,S: connected
    Note right of S: accept() returns
    loop every chunk
      C->>S: data
    end
    C-xS: RST`;

describe('Mermaid sequence diagrams', () => {
  it('reads participants, arrows, notes and blocks', () => {
    const diagram = diagramOfMermaid(HANDSHAKE)!;
    expect(diagram.lanes.map((lane) => [lane.id, lane.label])).toEqual([
      ['C', 'Client'],
      ['S', 'Server'],
    ]);
    const arrows = diagram.events.filter((event) => event.type === 'arrow');
    expect(
      arrows.map((event) => event.type === 'arrow' && `${event.from}>${event.to} ${event.kind} ${event.label}`),
    ).toEqual(['C>S send SYN', 'S>C close SYN-ACK', 'C>S send ACK', 'C>S send data', 'C>S reset RST']);
    expect(diagram.events).toContainEqual(expect.objectContaining({ type: 'mark', text: 'connected' }));
    expect(diagram.events).toContainEqual(
      expect.objectContaining({ type: 'mark', lane: 'S', text: 'accept() returns' }),
    );
    expect(diagram.events).toContainEqual(expect.objectContaining({ type: 'mark', text: 'loop every chunk' }));
  });

  it('is drawn by the same renderers as transcripts', () => {
    const svg = renderSvg(diagramOfBlock('mermaid', HANDSHAKE)!, { title: 'handshake' });
    expect(svg).toContain('>Client</text>');
    expect(svg).toContain('>SYN-ACK</text>');
    expect(textDiagramOfBlock('mermaid', HANDSHAKE, 70)).toMatch(/\|-+ SYN -+>\|/);
  });

  it('gives undefined for other diagrams and for lines it does not know, so the source is shown instead', () => {
    expect(diagramOfMermaid('flowchart LR\n  A --> B')).toBeUndefined();
    expect(diagramOfMermaid('sequenceDiagram\n  A->>B: hi\n  create participant C')).toBeUndefined();
    expect(textDiagramOfBlock('ts', 'const x = 1;', 70)).toBeUndefined();
  });
});
