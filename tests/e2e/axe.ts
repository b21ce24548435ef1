import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Serious or critical axe-core violations on the page, as readable lines.
 * DevTools evaluation is not subject to the page's CSP, so axe runs without weakening it.
 */
export async function axeSerious(page: Page, runOnly?: string[]): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async (only) => {
    const axe = (
      window as unknown as {
        axe: { run: (o?: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    return (await axe.run(only ? { runOnly: only } : undefined)).violations;
  }, runOnly);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
