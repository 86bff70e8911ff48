// The common part of Mermaid's sequenceDiagram syntax, read into the workbook's own diagram model.
// So a lesson's ```mermaid block is drawn by the same renderer as its transcripts, offline and with no browser library.
// Anything outside that part (another kind of diagram, a line this reader does not know) gives undefined: the caller
// then shows the source, labelled, rather than a wrong drawing.
import type { Diagram, DiagramEvent, Lane } from './model.ts';

const ARROW = /^([A-Za-z0-9_]+)\s*(<<)?(--?)(>>|>|x|\))\s*[+-]?\s*([A-Za-z0-9_]+)\s*:\s*(.*)$/;
const PARTICIPANT = /^(participant|actor)\s+([A-Za-z0-9_]+)(?:\s+as\s+(.+))?$/;
const NOTE = /^note\s+(over|left of|right of)\s+([A-Za-z0-9_]+)(?:\s*,\s*([A-Za-z0-9_]+))?\s*:\s*(.*)$/i;
const BLOCK = /^(loop|alt|else|opt|par|and|critical|option|break|rect)\b\s*(.*)$/;
const IGNORED = /^(autonumber|activate\s+\S+|deactivate\s+\S+|box\b.*|title\b.*|%%.*)$/;
// A block opens a frame; these divide it into sections.
const DIVIDERS = new Set(['else', 'and', 'option']);

/** Mermaid's `<br>` and entity codes, as plain text. */
function plain(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .trim();
}

export function diagramOfMermaid(source: string): Diagram | undefined {
  const lines = source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines[0] !== 'sequenceDiagram') return undefined;
  const lanes = new Map<string, Lane>();
  const lane = (id: string, label = id): string => {
    if (!lanes.has(id)) lanes.set(id, { id, label, kind: 'helper' });
    return id;
  };
  const events: DiagramEvent[] = [];
  let caption: string | undefined;
  for (const [index, line] of lines.entries()) {
    if (index === 0) continue;
    const at = { source: line, line: index + 1 };
    const participant = PARTICIPANT.exec(line);
    const arrow = ARROW.exec(line);
    const note = NOTE.exec(line);
    const block = BLOCK.exec(line);
    if (participant) lane(participant[2], plain(participant[3] ?? participant[2]));
    else if (arrow) {
      const [, from, , dashes, head, to, label] = arrow;
      events.push({
        ...at,
        type: 'arrow',
        kind: head === 'x' ? 'reset' : dashes === '--' ? 'close' : 'send',
        from: lane(from),
        to: lane(to),
        label: plain(label),
      });
    } else if (note) {
      const [, , first, second, text] = note;
      lane(first);
      if (second) lane(second);
      const spans = second !== undefined && second !== first;
      events.push({
        ...at,
        type: 'mark',
        kind: 'comment',
        lane: spans ? undefined : first,
        text: plain(text),
        ...(spans ? { over: [first, second] as [string, string] } : {}),
      });
    } else if (block) {
      const kind = DIVIDERS.has(block[1]) ? 'else' : 'block';
      events.push({ ...at, type: 'mark', kind, text: `${block[1]} ${plain(block[2])}`.trim() });
    } else if (line === 'end') events.push({ ...at, type: 'mark', kind: 'end', text: 'end' });
    else if (/^title\s/.test(line)) caption = plain(line.slice(6));
    else if (!IGNORED.test(line)) return undefined;
  }
  if (lanes.size === 0) return undefined;
  return { caption, lanes: [...lanes.values()], events };
}
