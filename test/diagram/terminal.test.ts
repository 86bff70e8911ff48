// Unit: npm run read draws a README's transcripts (and Mermaid sequence diagrams) as text, within the width.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../scripts/terminal/markdown.ts';
import { palette } from '../../scripts/kernel/colours.ts';

const README = `# 01: Echo

\`\`\`transcript
# A client says hello.
$ server
Starting server on 'localhost' port 12345 and a very long tail that runs past the end of the line
A: connect
A: send "Hello\\n"
A: recv "Hello\\n"
\`\`\`

\`\`\`mermaid
sequenceDiagram
  C->>S: SYN
\`\`\`

\`\`\`mermaid
flowchart LR
  A --> B
\`\`\`
`;

describe('npm run read with diagrams', () => {
  it('draws each transcript below its source and fits 80 columns', () => {
    const plain = palette({ isTTY: false } as NodeJS.WriteStream);
    const text = renderMarkdown(README, { width: 80, colours: plain });
    const diagrams = text.split('-- sequence diagram');
    expect(diagrams).toHaveLength(3);
    expect(diagrams[1]).toMatch(/^ {7}server +client A$/m);
    expect(diagrams[1]).toMatch(/\|<-+ "Hello\\n" -+\|/);
    expect(diagrams[2]).toMatch(/\|-+ SYN -+>\|/);
    // A flowchart is not drawn: its source is shown, labelled.
    expect(text).toMatch(/-- mermaid\n {4}flowchart LR\n {4}  A --> B/);
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('says a message a lane sends itself beside its lifeline, as lessons 13 and 18 draw handleLine', () => {
    const plain = palette({ isTTY: false } as NodeJS.WriteStream);
    const readme = '```mermaid\nsequenceDiagram\n  C->>H: hello\n  H->>H: handle()\n```\n';
    const text = renderMarkdown(readme, { width: 60, colours: plain });
    expect(text).toMatch(/\|-> itself: handle\(\)$/m);
  });
});
