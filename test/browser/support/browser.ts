/// <reference lib="dom" />
/**
 * What the browser tests share: Debian's Chromium (playwright-core, /usr/bin/chromium) launched
 * headless, pages that collect the console (CSP violations, script errors) and a sign-in through
 * the real form, as a person does it, with the code when the account has a second factor.
 */
import type { Test } from 'tap';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { PASSWORD, type ApiFixture } from '../../integration/support/api-appliance.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];

export interface BrowserSession {
  readonly browser: Browser;
  readonly base: string;
  /** Console lines of every page opened: "type: text", "pageerror: message". */
  readonly consoleLines: string[];
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Signs in through the form; resolves once the calls list (or "no calls") is shown. */
  signIn(page: Page, username: string, totp?: () => string): Promise<void>;
  /**
   * Signs in on the sign-in form the page shows now (after a session ended, say) with this
   * password; resolves once signed in, whatever page comes next (enrolment, a changed password).
   */
  signInHere(page: Page, username: string, password: string, totpSecret?: string): Promise<void>;
  /** The CSP violations and script errors seen so far. */
  problems(): string[];
}

export async function openBrowser(t: Test, fixture: ApiFixture): Promise<BrowserSession> {
  const fillSignIn = async (page: Page, username: string, password: string, totp?: () => string): Promise<void> => {
    await page.waitForSelector('#username');
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');
    if (totp !== undefined) {
      await page.waitForSelector('#totp', { state: 'visible' });
      // A code is good once: the next sign-in waits for the next 30-second step.
      fixture.clock.advance(30_000);
      await page.fill('#totp', totp());
      await page.click('main button[type=submit]');
    }
  };
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  const base = `https://localhost:${fixture.appliance.web.address.port}`;
  const consoleLines: string[] = [];
  return {
    browser,
    base,
    consoleLines,
    async newPage(options = {}) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, ...options });
      const page = await context.newPage();
      page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
      return page;
    },
    async signIn(page, username, totp) {
      // A fresh document, so the form filled is the one that stays (a hash change re-renders).
      await page.goto('about:blank');
      await page.goto(`${base}/#/login`);
      await fillSignIn(page, username, PASSWORD, totp);
      await page.waitForSelector('table#calls, p:has-text("Ei puheluita"), p:has-text("No calls")');
    },
    async signInHere(page, username, password, totpSecret) {
      await fillSignIn(page, username, password, totpSecret === undefined ? undefined : () => fixture.totp(totpSecret));
      await page.waitForSelector('#logout');
    },
    problems: () => consoleLines.filter((line) => /Content Security Policy|Refused to|^pageerror/i.test(line)),
  };
}
