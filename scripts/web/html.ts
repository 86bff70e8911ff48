// The frame every page shares, and the html`` template: all text put into a page goes through `escapeMarkup`.
import { STATUS_WORDS, type LessonStatus } from '../course/progress.ts';
import { escapeMarkup } from '../kernel/text.ts';

/** A tagged template whose interpolations are escaped unless they are already `Html`. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

type Part = string | number | Html | undefined | false | Part[];

function render(part: Part): string {
  if (part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  return part instanceof Html ? part.text : escapeMarkup(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(
    strings.reduce((out, string, index) => out + string + (index < parts.length ? render(parts[index]) : ''), ''),
  );
}

/** Markup built elsewhere (the README renderer, an SVG) that is already safe. */
export const raw = (text: string): Html => new Html(text);

export function page(title: string, body: Html, script = false): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="/assets/highlight.css" />
        <link rel="stylesheet" href="/assets/style.css" />
        ${script ? raw('<script type="module" src="/assets/lesson.js"></script>') : ''}
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="top"><a href="/">Socket server workbook</a></header>
        <main id="main">${body}</main>
      </body>
    </html> `.text;
}

/** A status as a word with a symbol: colour is never the only sign of it. */
export function statusBadge(status: LessonStatus): Html {
  const symbol = { passes: '✓', fails: '✗', changed: '✎', unchecked: '·' }[status];
  return html`<span class="badge ${status}"><span aria-hidden="true">${symbol}</span> ${STATUS_WORDS[status]}</span>`;
}
