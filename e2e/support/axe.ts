// axe-core run inside a desk page, its findings as one readable line each so a failing test says what and where.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 AA and axe's best practices: what the main desk screens are held to. */
export const WCAG22_AA_AND_BEST_PRACTICE = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs only the rules with one of `tags`, or axe's default rule set when there are none. */
export async function axeViolations(page: Page, tags?: readonly string[]): Promise<string[]> {
  // Evaluated over the DevTools protocol: the desk's CSP rightly refuses an injected <script>.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (onlyTags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, onlyTags ? { runOnly: { type: 'tag', values: onlyTags } } : {});
    return result.violations.map((violation) => ({ id: violation.id, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })) }));
  }, tags ?? null);
  return violations.map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
