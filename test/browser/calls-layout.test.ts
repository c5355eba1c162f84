/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The calls list on a tablet (768 px wide) and on a laptop (1280 px), in Finnish and English:
 * every column is shown and its text fits its cell (nothing cut off, no sideways scrolling of
 * the page), and no two boxes overlap: the header's links and tools, the search form's fields
 * and buttons, the cells of a row. Checked by the elements' bounding boxes in Chromium.
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { firstAdministrator, PASSWORD, startApiAppliance } from '../integration/support/api-appliance.js';
import { openBrowser } from './support/browser.js';

interface Box {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the eye needs to read: columns hidden or cut, boxes drawn over each other, a page wider than the screen. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (element: Element): string => `${element.tagName.toLowerCase()}${element.id === '' ? '' : `#${element.id}`}${element.className === '' ? '' : `.${String(element.className).replace(/ /g, '.')}`} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const boxOf = (element: Element): Box => {
      const rect = element.getBoundingClientRect();
      return { name: describe(element), x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    };
    const overlaps = (a: Box, b: Box): boolean => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
    const pairwise = (group: string, elements: Element[]): void => {
      const boxes = elements.filter((element) => element.getClientRects().length > 0).map(boxOf);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i]!, boxes[j]!)) problems.push(`${group}: ${boxes[i]!.name} overlaps ${boxes[j]!.name}`);
    };
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${window.innerWidth} px screen`);
    const table = document.querySelector('table#calls') as HTMLTableElement;
    if (table.getBoundingClientRect().right > window.innerWidth) problems.push('the table goes past the right edge');
    for (const cell of table.querySelectorAll('th, td')) {
      const box = boxOf(cell);
      if (box.width < 1 || getComputedStyle(cell).display === 'none') problems.push(`hidden: ${box.name}`);
      if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`cut off: ${box.name} (${cell.scrollWidth} > ${cell.clientWidth})`);
      // A word broken inside (a number over two lines) is not readable either.
      for (const child of cell.querySelectorAll('a, span')) if (child.getClientRects().length > 1 && !/\s/.test((child.textContent ?? '').trim())) problems.push(`broken over lines: ${describe(child)}`);
    }
    for (const row of table.querySelectorAll('tr')) pairwise('row', [...row.children]);
    pairwise('header', [...document.querySelectorAll('.brand, #nav a, .tools select, #who')]);
    pairwise('search form', [...document.querySelectorAll('form.panel .presets a, form.panel .fields > div, form.panel button, form.panel .actions a')].filter((element) => !element.classList.contains('pair') && !element.classList.contains('actions')).concat([...document.querySelectorAll('form.panel .pair > div')]));
    pairwise('page', [...document.querySelectorAll('main > h1, main > form, main > p, main > .table-wrap, main > nav')]);
    return problems;
  });
}

t.test('when the calls list is shown on a tablet and on a laptop, then every column is readable and nothing overlaps', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö Pitkänimi-Virtanen', roles: ['supervisor'], password: PASSWORD })).status, 201);
  // Long values: a withheld number, a foreign number, an interrupted recording, a long agent name.
  await fixture.call({ channel: 0, extension: '2001', caller: '+4915112345678', seconds: 2 });
  await fixture.call({ channel: 1, extension: '2002', caller: '0401234567', called: '0912345678', seconds: 3 });
  await fixture.call({ channel: 2, extension: '2009', caller: '0509876543', seconds: 1 });
  const session = await openBrowser(t, fixture);
  for (const width of [768, 1280]) {
    const page = await session.newPage({ viewport: { width, height: 1000 } });
    await session.signIn(page, 'esihenkilo');
    for (const language of ['fi', 'en'] as const) {
      if (language === 'en') {
        await page.selectOption('#language', 'en');
        await page.waitForSelector('h1:has-text("Calls")');
      }
      t.equal(await page.locator('table#calls tbody tr').count(), 3);
      t.same(await layoutProblems(page), [], `${width} px, ${language}: every column readable, nothing overlaps`);
    }
    await page.context().close();
  }
  t.same(session.problems(), []);
});
