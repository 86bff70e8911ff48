// Which Markdown code blocks are drawn as sequence diagrams: transcripts, and Mermaid sequence diagrams this reader
// understands. The terminal and the browser ask the same question, so they draw the same blocks.
import { diagramOfMermaid } from './mermaid.ts';
import { diagramOf, type Diagram } from './model.ts';
import { renderText } from './text.ts';

export function diagramOfBlock(lang: string, text: string): Diagram | undefined {
  if (lang === 'transcript') return diagramOf(text);
  if (lang === 'mermaid') return diagramOfMermaid(text);
  return undefined;
}

/** The block's diagram as text for the terminal, or undefined when it is not drawn (its source is shown alone). */
export function textDiagramOfBlock(lang: string, text: string, width: number): string | undefined {
  const diagram = diagramOfBlock(lang, text);
  // A transcript's caption is its first line, already shown just above the drawing.
  return diagram && renderText(diagram, { width, caption: lang !== 'transcript' });
}
