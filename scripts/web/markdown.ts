// A lesson's README as HTML, parsed by marked as `npm run read` parses it.
// Code is highlighted by the same highlight.js as the terminal's; transcripts and Mermaid sequence diagrams are drawn
// as SVG beside their source.
import { Marked, type Tokens } from 'marked';
import { codeInfo } from '../course/lessons.ts';
import { diagramOfBlock, highlightHtml } from '../diagram/blocks.ts';
import { renderSvg } from '../diagram/svg.ts';
import { escapeMarkup } from '../kernel/text.ts';

/** One code block: a labelled figure, with a drawing beside the source when it is a diagram. */
export function codeBlock(token: Pick<Tokens.Code, 'text' | 'lang'>): string {
  const { lang, file } = codeInfo(token.lang);
  const name = [lang === 'transcript' ? 'Transcript' : lang === 'mermaid' ? 'Mermaid diagram' : lang, file]
    .filter(Boolean)
    .join(': ');
  const caption = name ? `<figcaption>${escapeMarkup(name)}</figcaption>` : '';
  const source = `<pre tabindex="0"><code class="hljs${lang ? ` language-${escapeMarkup(lang)}` : ''}">${highlightHtml(token.text, lang) ?? escapeMarkup(token.text)}</code></pre>`;
  const diagram = diagramOfBlock(lang, token.text);
  if (diagram) {
    const svg = renderSvg(diagram, { title: `Sequence diagram of the ${name.toLowerCase()}` });
    const drawing = `<div class="drawing" tabindex="0">${svg}</div>`;
    // A Mermaid block is there for its drawing: its source waits behind a toggle; a transcript is read beside it.
    if (lang === 'mermaid')
      return `<figure class="code diagram-pair">${caption}${drawing}<details class="source"><summary>Mermaid source</summary>${source}</details></figure>\n`;
    return `<figure class="code diagram-pair">${caption}<div class="pair">${source}${drawing}</div></figure>\n`;
  }
  if (lang === 'mermaid') {
    // Only sequence diagrams are drawn (offline, by the workbook itself); any other kind is shown as its source.
    return `<figure class="code mermaid-source"><figcaption>Mermaid diagram source (this kind of diagram is not drawn here)</figcaption>${source}</figure>\n`;
  }
  return `<figure class="code">${caption}${source}</figure>\n`;
}

/** A heading's anchor: `Your task` is `#your-task`. */
export const anchorOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/<[^>]*>|`/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'section';

/** The README's sections (its `##` headings, not Hints), for the page's table of contents. */
export function readmeSections(markdown: string): { text: string; anchor: string }[] {
  const headings = new Marked().lexer(markdown).filter((token) => token.type === 'heading' && token.depth === 2);
  return (headings as Tokens.Heading[])
    .filter((heading) => !/^hints?$/i.test(heading.text.trim()))
    .map((heading) => ({ text: heading.text.replace(/`/g, ''), anchor: anchorOf(heading.text) }));
}

/** The README without its Hints section: the page gives hints one at a time, as `npm run hint` does. */
export function renderReadme(markdown: string): string {
  const marked = new Marked({
    renderer: {
      code: (token) => codeBlock(token),
      // A header cell with nothing in it heads nothing: a plain cell, so a screen reader does not announce a blank.
      tablecell(token) {
        if (token.header && token.text.trim() === '') return '<td></td>\n';
        return false;
      },
      // Headings carry their anchor, so the table of contents and "Your task" can link to them.
      heading(token) {
        const inner = this.parser.parseInline(token.tokens);
        return `<h${token.depth} id="${anchorOf(token.text)}">${inner}</h${token.depth}>\n`;
      },
    },
  });
  const tokens = marked.lexer(markdown);
  let inHints = false;
  const kept = tokens.filter((token) => {
    if (token.type === 'heading' && (token as Tokens.Heading).depth <= 2)
      inHints = (token as Tokens.Heading).depth === 2 && /^hints?$/i.test((token as Tokens.Heading).text.trim());
    return !inHints;
  });
  return marked.parser(Object.assign(kept, { links: tokens.links }));
}
