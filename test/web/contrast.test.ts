// Unit: the page's code theme stays readable: highlight.js's comments against the code's background, 4.5:1 at least.
import { describe, expect, it } from 'vitest';
import { asset } from '../../scripts/web/assets.ts';

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The colour a rule sets for `property`, in the first rule whose selectors include `selector`. */
function ruleColour(css: string, selector: string, property: string): string {
  for (const [, selectors, body] of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    if (!selectors.split(',').some((one) => one.trim() === selector)) continue;
    const value = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*(#[0-9a-fA-F]{6})`).exec(body)?.[1];
    if (value) return value.toLowerCase();
  }
  throw new Error(`no ${property} for ${selector}`);
}

describe('the code theme', () => {
  it('keeps comments at 4.5:1 or more against the code background', () => {
    const theme = asset('/assets/highlight.css')!.body.toString('utf8');
    const style = asset('/assets/style.css')!.body.toString('utf8');
    const comment = ruleColour(theme, '.hljs-comment', 'color');
    const background = ruleColour(style, 'pre', 'background');
    expect(contrast(comment, background)).toBeGreaterThanOrEqual(4.5);
    // The theme's own background is not drawn over the page's: the code sits on the pre's.
    expect(style).toMatch(/pre code\.hljs\s*\{[^}]*background:\s*none/);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
