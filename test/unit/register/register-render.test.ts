/**
 * The printable renderings of the register: the HTML escapes what came from the configuration,
 * carries no script, and its one style block is exactly the one its CSP allows; the PDF holds
 * every promise with its check.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { registerDocument } from '../../../src/register/register-text.js';
import { REGISTER_HTML_CSP, registerHtml } from '../../../src/register/register-html.js';
import { registerPdf } from '../../../src/register/register-pdf.js';
import { knownFacts } from './register-fixture.js';

const facts = knownFacts({ identity: { name: 'Rekisteri <b>&"x"', controller: { name: "Kassa <script>alert('x')</script>", address: 'Katu 1 & 2' } }, oldestRecord: { startedAt: '2026-08-01T00:00:00.000Z', ageDays: 119 } });

void t.test('when the register is printed as HTML, then it is escaped, script-free, and its style is the one its CSP allows', async (t) => {
  for (const language of ['fi', 'en'] as const) {
    const html = registerHtml(registerDocument(facts, language));
    t.notMatch(html, /<script/);
    t.match(html, /Kassa &lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;, Katu 1 &amp; 2/);
    t.match(html, /Rekisteri &lt;b&gt;&amp;&quot;x&quot;/);
    t.equal([...html.matchAll(/<div class="promise (pass|fail|not-checkable)" id="promise-P\d+">/g)].length, 14);
    t.match(html, /<div class="promise fail" id="promise-P7">/);
    t.match(html, new RegExp(`<html lang="${language}">`));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    t.match(REGISTER_HTML_CSP, `'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    t.match(REGISTER_HTML_CSP, /^default-src 'none'; /);
  }
  t.match(registerHtml(registerDocument(facts, 'en')), /\[FAILED\]<\/span> oldest contact record 119 days, past the limit of 92 days: the purge has not run \(limit 92 days\)/);
});

void t.test('when the register is printed as PDF, then it holds every promise and its check', async (t) => {
  const pdf = await registerPdf(registerDocument(facts, 'fi'), { compress: false });
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = pdf.toString('latin1');
  const drawn = [...text.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((op) => [...(op[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1] ?? '', 'hex').toString('latin1')).join('')).join(' ');
  for (let i = 1; i <= 14; i++) t.match(drawn, `P${i}.`);
  t.match(drawn, 'EI TÄYTY'.normalize());
  t.ok((await registerPdf(registerDocument(facts, 'en'))).length > 1000, 'compressed by default');
});
