/**
 * The data subject's report as a printable HTML document: plain semantic markup, no script and
 * no style of its own (the strict CSP holds, and a browser prints tables well as they are).
 */
import type { ReportLanguage, SubjectReport } from './subject-report.js';
import { reportRows, reportTime, reportWords } from './subject-report-text.js';
import { escapeHtml } from '../print/html-escape.js';

function table(id: string, columns: readonly string[], rows: readonly string[][], empty: string): string {
  if (rows.length === 0) return `<p id="${id}">${escapeHtml(empty)}</p>`;
  const head = columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function subjectReportHtml(report: SubjectReport, language: ReportLanguage): string {
  const w = reportWords(language);
  const rows = reportRows(report, language);
  const subject = report.subject.type === 'caller' ? `${w.subjectCaller}: ${report.subject.number}` : `${w.subjectAgent}: ${report.subject.extension}`;
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(w.title)}</title>
</head>
<body>
<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(w.intro)}</p>
<p>${escapeHtml(subject)}<br>${escapeHtml(w.reference)}: ${escapeHtml(report.reference)}<br>${escapeHtml(w.generated)}: ${escapeHtml(reportTime(report.generatedAt, language))}</p>
<h2>${escapeHtml(w.callsHeading)}</h2>
<p>${escapeHtml(w.callsIntro)}</p>
${table('calls', w.callColumns, rows.calls, w.noCalls)}
<h2>${escapeHtml(w.rolesHeading)}</h2>
<p>${escapeHtml(w.rolesIntro)}</p>
${table('roles', w.roleColumns, rows.roles, '')}
<h2>${escapeHtml(w.accessesHeading)}</h2>
<p>${escapeHtml(w.accessesIntro)}</p>
${table('accesses', w.accessColumns, rows.accesses, w.noAccesses)}
<p>${escapeHtml(w.timesNote)}</p>
</body>
</html>
`;
}
