/**
 * axe-core (@axe-core/playwright) on the page as it is now: the violations of impact moderate or
 * above, as one line each (rule, impact, the elements), so a failing test says what to fix.
 * WCAG 2.0-2.2 A and AA rules and axe's best practices are checked.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';

const SERIOUS_ENOUGH = new Set(['moderate', 'serious', 'critical']);

export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => SERIOUS_ENOUGH.has(violation.impact ?? ''))
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Asserts that the view shown now has no violation of impact moderate or above. */
export async function checkAxe(t: Test, page: Page, view: string): Promise<void> {
  t.same(await axeViolations(page), [], `axe: no violation of impact moderate or above on ${view}`);
}
