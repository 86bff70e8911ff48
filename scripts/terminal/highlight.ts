// Code highlighted for the terminal: the browser's highlight.js markup, turned into the palette's colours.
import { highlightHtml } from '../diagram/blocks.ts';
import type { Palette } from '../kernel/colours.ts';

type Paint = (text: string) => string;

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#x27;': "'" };

/** The characters highlight.js (and marked, in prose) write as entities, back as themselves. */
export const decodeEntities = (text: string): string =>
  text.replace(/&(?:lt|gt|amp|quot|#x27|#39);/g, (entity) => ENTITIES[entity] ?? "'");

/** The colour of one highlight.js scope (`hljs-keyword`, `hljs-title function_`); undefined keeps the enclosing one. */
function paintOf(scope: string, colours: Palette): Paint | undefined {
  const kind = scope.replace(/^hljs-/, '').split(/[\s.]/)[0];
  if (['keyword', 'literal', 'symbol', 'selector-tag', 'name'].includes(kind)) return colours.blue;
  if (['built_in', 'type', 'class', 'attr', 'attribute'].includes(kind)) return colours.cyan;
  if (['string', 'regexp', 'char', 'addition'].includes(kind)) return colours.green;
  if (['title', 'section'].includes(kind)) return colours.yellow;
  if (kind === 'number') return colours.magenta;
  if (kind === 'deletion') return colours.red;
  if (['comment', 'quote', 'meta', 'doctag'].includes(kind)) return colours.dim;
  return undefined;
}

/** The code in colour, each line closing its own colours (a pager may show one line alone); undefined: unknown language. */
export function highlightForTerminal(text: string, lang: string, colours: Palette): string | undefined {
  const html = highlightHtml(text, lang);
  if (html === undefined) return undefined;
  const paints: (Paint | undefined)[] = [];
  let out = '';
  for (const [, scope, close, chars] of html.matchAll(/<span class="([^"]*)">|(<\/span>)|([^<]+)/g)) {
    if (scope !== undefined) paints.push(paintOf(scope, colours) ?? paints.at(-1));
    else if (close !== undefined) paints.pop();
    else {
      const paint = paints.at(-1);
      const plain = decodeEntities(chars);
      out += paint
        ? plain
            .split('\n')
            .map((line) => (line === '' ? line : paint(line)))
            .join('\n')
        : plain;
    }
  }
  return out;
}
