/**
 * The data subject's report as a PDF: the same text and tables as the HTML rendering, on A4
 * pages (the layout shared by the box's printable PDFs: print/pdf-layout.ts).
 */
import { pdfLayout } from '../print/pdf-layout.js';
import type { ReportLanguage, SubjectReport } from './subject-report.js';
import { reportRows, reportTime, reportWords } from './subject-report-text.js';

/** Relative widths of each table's columns. */
const WIDTHS = { calls: [1, 4, 4, 4, 2], roles: [5, 5, 2], accesses: [4, 4, 1.5, 5, 2.5] } as const;

export async function subjectReportPdf(report: SubjectReport, language: ReportLanguage, options: { compress?: boolean } = {}): Promise<Buffer> {
  const w = reportWords(language);
  const rows = reportRows(report, language);
  const pdf = await pdfLayout({ title: w.title, language, ...(options.compress === undefined ? {} : { compress: options.compress }) });
  pdf.heading(w.title, 16);
  pdf.paragraph(w.intro);
  pdf.paragraph(report.subject.type === 'caller' ? `${w.subjectCaller}: ${report.subject.number}` : `${w.subjectAgent}: ${report.subject.extension}`);
  pdf.paragraph(`${w.reference}: ${report.reference}`);
  pdf.paragraph(`${w.generated}: ${reportTime(report.generatedAt, language)}`);
  pdf.heading(w.callsHeading);
  pdf.paragraph(w.callsIntro);
  pdf.table(w.callColumns, rows.calls, WIDTHS.calls, w.noCalls);
  pdf.heading(w.rolesHeading);
  pdf.paragraph(w.rolesIntro);
  pdf.table(w.roleColumns, rows.roles, WIDTHS.roles, '');
  pdf.heading(w.accessesHeading);
  pdf.paragraph(w.accessesIntro);
  pdf.table(w.accessColumns, rows.accesses, WIDTHS.accesses, w.noAccesses);
  pdf.paragraph(w.timesNote);
  return pdf.end();
}
