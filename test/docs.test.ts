// Unit: the documents link to each other: every relative link in README.md, CONTRIBUTING.md and docs/ leads to a file,
// and a link to a heading (`file.md#heading`) to a heading that file has, as GitHub names its anchors.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.ts';

const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation gone, each space a hyphen. */
const anchorOf = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function headingAnchors(file: string): string[] {
  const tokens = marked.lexer(readFileSync(file, 'utf8'));
  return tokens
    .filter((token): token is Tokens.Heading => token.type === 'heading')
    .map((heading) => anchorOf(heading.text.replace(/`/g, '')));
}

/** Every link and image of a Markdown text, as written: `[text](target)`, `![alt](target)`. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === 'link' || token.type === 'image') targets.push((token as Tokens.Link).href);
  });
  return targets;
}

/** What is wrong with one relative link of a document, or undefined. */
function brokenLink(document: string, target: string): string | undefined {
  if (/^[a-z]+:/i.test(target)) return undefined; // https:, mailto: and the like are not this test's business
  const [path, anchor] = target.split('#');
  const file = path === '' ? join(ROOT, document) : join(ROOT, dirname(document), path);
  if (!existsSync(file)) return `${document}: ${target} leads to ${relative(ROOT, file)}, which does not exist`;
  if (anchor && file.endsWith('.md') && !headingAnchors(file).includes(anchor))
    return `${document}: ${target}: ${relative(ROOT, file)} has no heading #${anchor}`;
  return undefined;
}

describe('the documents', () => {
  it('link only to files and headings that exist', () => {
    expect(DOCUMENTS).toEqual(
      expect.arrayContaining(['docs/grading.md', 'docs/authoring.md', 'docs/commands.md', 'CONTRIBUTING.md']),
    );
    const links = DOCUMENTS.flatMap((document) =>
      linkTargets(readFileSync(join(ROOT, document), 'utf8')).map((target) => ({ document, target })),
    );
    expect(links.length).toBeGreaterThan(20);
    expect(links.map(({ document, target }) => brokenLink(document, target)).filter(Boolean)).toEqual([]);
  });

  it('name a missing file, and a missing heading, when a link is broken', () => {
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe(
      'README.md: docs/nowhere.md leads to docs/nowhere.md, which does not exist',
    );
    expect(brokenLink('docs/grading.md', '../README.md#no-such-part')).toBe(
      'docs/grading.md: ../README.md#no-such-part: README.md has no heading #no-such-part',
    );
    expect(brokenLink('docs/grading.md', '../README.md#lessons')).toBeUndefined();
    expect(anchorOf('Rewriting transcripts: --update')).toBe('rewriting-transcripts---update');
  });

  it('keep README.md to 250 lines: the learner reads it first', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(250);
  });
});
