/**
 * The register description as a printable HTML page: semantic markup, every text escaped, no
 * script. Its print stylesheet is one fixed <style> block; the page is served with a CSP that
 * allows exactly that block by its hash (REGISTER_HTML_CSP), so the strict CSP holds and a file
 * saved by `tallennin register --format html` prints the same.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../print/html-escape.js';
import { LIMIT_WORD, type RegisterDocument, type RegisterPromiseLine } from './register-text.js';

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; max-width: 48em; margin: 2em auto; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 12.5pt; margin-top: 1.6em; border-bottom: 1px solid #000; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #444; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
.promise { margin: 0.8em 0; page-break-inside: avoid; } .check { margin: 0.2em 0 0 2em; }
.status { font-weight: bold; } .fail .status { text-decoration: underline; }
@page { size: A4; margin: 18mm; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
`;

/** The Content-Security-Policy the page is served with: nothing but its own style block. */
export const REGISTER_HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function promiseHtml(line: RegisterPromiseLine, limitWord: string): string {
  const limit = line.limit === null ? '' : ` (${escapeHtml(limitWord)} ${escapeHtml(line.limit)})`;
  return `<div class="promise ${line.status}" id="promise-${line.promise}">
<p><strong>${line.promise}.</strong> ${escapeHtml(line.text)}</p>
<p class="check"><span class="status">[${escapeHtml(line.statusText)}]</span> ${escapeHtml(line.measured)}${limit}</p>
</div>`;
}

export function registerHtml(doc: RegisterDocument): string {
  const identity = doc.identity.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('\n');
  const sections = doc.sections
    .map((section) => [`<h2 id="section-${section.id}">${escapeHtml(section.heading)}</h2>`, ...section.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`), ...section.promises.map((line) => promiseHtml(line, LIMIT_WORD[doc.language]))].join('\n'))
    .join('\n');
  const record = doc.record.rows.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(row.value)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${doc.language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
<p>${escapeHtml(doc.intro)}</p>
<table id="identity">
${identity}
</table>
<p>${escapeHtml(doc.generated)}<br><strong id="summary">${escapeHtml(doc.summary.text)}</strong></p>
${sections}
<h2 id="section-record">${escapeHtml(doc.record.heading)}</h2>
<p>${escapeHtml(doc.record.intro)}</p>
<table id="record">
${record}
</table>
</body>
</html>
`;
}
