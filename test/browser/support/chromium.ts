/// <reference lib="dom" />
/**
 * Debian's Chromium (playwright-core, /usr/bin/chromium) against an appliance of the API tests:
 * pages that collect their console (CSP violations, script errors), and a sign-in as a person
 * does it, with the code when the account has a second factor.
 */
import type { Test } from 'tap';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ApiFixture } from '../../integration/support/api-appliance.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserRun {
  readonly base: string;
  readonly browser: Browser;
  /** A page in a fresh context (its own cookies), Finnish unless the page switches. */
  newPage(): Promise<Page>;
  /** Signs in on the sign-in page and waits for the page after it. */
  signIn(page: Page, username: string, password: string, totpSecret?: string): Promise<void>;
  /** Console lines that tell of a CSP violation or a script error: none expected. */
  problems(): string[];
}

export async function startChromium(t: Test, fixture: ApiFixture): Promise<BrowserRun> {
  const base = `https://localhost:${fixture.appliance.web.address.port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  const lines: string[] = [];
  return {
    base,
    browser,
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
      return page;
    },
    async signIn(page, username, password, totpSecret) {
      await page.waitForSelector('#username');
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('main button[type=submit]');
      if (totpSecret !== undefined) {
        await page.waitForSelector('#totp', { state: 'visible' });
        // A code is good once: the next sign-in waits for the next 30-second step.
        fixture.clock.advance(30_000);
        await page.fill('#totp', fixture.totp(totpSecret));
        await page.click('main button[type=submit]');
      }
      await page.waitForSelector('#logout');
    },
    problems: () => lines.filter((line) => /Content Security Policy|Refused to|pageerror/i.test(line)),
  };
}
