// docs/mutation-scores.md: one row per lesson, rewritten for each lesson a run of `npm run mutate` measured.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatPercent, GOAL_PERCENT, meetsGoal, type Score } from './score.ts';

export const SCORES_FILE = join('docs', 'mutation-scores.md');

const HEADER = `# Mutation scores

Written by \`npm run mutate\` (StrykerJS over each lesson's reference, the stage's own check as the test): one row
per lesson, as of the run named in it. The score is what the check detected (killed or timed out) of the mutants
that ran, leaving out the survivors the lesson sets aside as equivalent in \`solutions/NN-slug/equivalent-mutants.json\`,
each with its reason. The goal is ${GOAL_PERCENT}% or more, with at most a fifth of the mutants set aside.

| lesson | score | tested | detected | set aside | survivors | date | Node |
| --- | --- | --- | --- | --- | --- | --- | --- |
`;

export function formatRow(slug: string, result: Score, date: string): string {
  const mark = meetsGoal(result) ? '' : ' (below the goal)';
  return `| ${slug} | ${formatPercent(result.percent)}${mark} | ${result.tested} | ${result.detected} | ${result.setAside.length} | ${result.survivors.length} | ${date} | ${process.versions.node} |`;
}

/** Puts each lesson's row in place (new rows in lesson order), keeping the other lessons' rows as they were. */
export function updateScores(root: string, rows: Map<string, string>): void {
  const file = join(root, SCORES_FILE);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = new Map<string, string>();
  for (const line of old.split('\n')) {
    const slug = /^\| (\d\d-[a-z0-9-]+) \|/.exec(line)?.[1];
    if (slug) kept.set(slug, line);
  }
  for (const [slug, row] of rows) kept.set(slug, row);
  const body = [...kept.keys()]
    .sort()
    .map((slug) => kept.get(slug))
    .join('\n');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${HEADER}${body}\n`);
}
