// A README's code blocks as the terminal and the browser both show them: highlighted, and drawn when they are diagrams.
// Transcripts and the Mermaid sequence diagrams this reader understands are drawn; code is highlighted by one
// highlight.js, so `npm run read` and `npm run web` colour the same words.
import hljs from 'highlight.js';
import { diagramOfMermaid } from './mermaid.ts';
import { diagramOf, type Diagram } from './model.ts';
import { renderText } from './text.ts';

// Info-string languages → the names the highlighter knows.
const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  typescript: 'typescript',
  js: 'javascript',
  javascript: 'javascript',
  sh: 'bash',
  bash: 'bash',
  json: 'json',
  http: 'http',
};

/** The code as highlight.js marks it up (HTML: `<span class="hljs-keyword">`), or undefined for a language it lacks. */
export function highlightHtml(text: string, lang: string): string | undefined {
  const language = LANGUAGES[lang];
  return language && hljs.highlight(text, { language, ignoreIllegals: true }).value;
}

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
