/**
 * The data subject's report as a PDF (pdfkit): the same text and tables as the HTML rendering,
 * on A4 pages, in the standard Helvetica (its encoding has the Finnish letters).
 */
import type { ReportLanguage, SubjectReport } from './subject-report.js';
import { reportRows, reportTime, reportWords } from './subject-report-text.js';

const MARGIN = 50;
const FONT_SIZE = 9;
const CELL_PADDING = 4;

/** Relative widths of each table's columns. */
const WIDTHS = { calls: [1, 4, 4, 4, 2], roles: [5, 5, 2], accesses: [4, 4, 1.5, 5, 2.5] } as const;

export async function subjectReportPdf(report: SubjectReport, language: ReportLanguage, options: { compress?: boolean } = {}): Promise<Buffer> {
  // pdfkit and its fonts (~20 MB resident) are loaded at the first report, not by every start.
  const { default: PDFDocument } = await import('pdfkit');
  const w = reportWords(language);
  const rows = reportRows(report, language);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, compress: options.compress ?? true, lang: language, info: { Title: w.title, Producer: 'Tallennin', Creator: 'Tallennin' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = (): number => doc.page.height - MARGIN;

  const paragraph = (text: string, size = FONT_SIZE + 1, font = 'Helvetica'): void => {
    doc.font(font).fontSize(size).text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.5);
  };
  const table = (columns: readonly string[], body: readonly string[][], relative: readonly number[], empty: string): void => {
    if (body.length === 0) {
      paragraph(empty);
      return;
    }
    const total = relative.reduce((sum, value) => sum + value, 0);
    const widths = relative.map((value) => (value / total) * width);
    const row = (cells: readonly string[], font: string): void => {
      doc.font(font).fontSize(FONT_SIZE);
      const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: (widths[i] as number) - CELL_PADDING }))) + CELL_PADDING;
      if (doc.y + height > bottom()) doc.addPage();
      const top = doc.y;
      let x = MARGIN;
      cells.forEach((cell, i) => {
        doc.text(cell, x, top, { width: (widths[i] as number) - CELL_PADDING });
        x += widths[i] as number;
      });
      doc.y = top + height;
    };
    row(columns, 'Helvetica-Bold');
    for (const cells of body) row(cells, 'Helvetica');
    doc.moveDown(1);
  };

  paragraph(w.title, 16, 'Helvetica-Bold');
  paragraph(w.intro);
  paragraph(report.subject.type === 'caller' ? `${w.subjectCaller}: ${report.subject.number}` : `${w.subjectAgent}: ${report.subject.extension}`);
  paragraph(`${w.reference}: ${report.reference}`);
  paragraph(`${w.generated}: ${reportTime(report.generatedAt, language)}`);
  paragraph(w.callsHeading, 13, 'Helvetica-Bold');
  paragraph(w.callsIntro);
  table(w.callColumns, rows.calls, WIDTHS.calls, w.noCalls);
  paragraph(w.rolesHeading, 13, 'Helvetica-Bold');
  paragraph(w.rolesIntro);
  table(w.roleColumns, rows.roles, WIDTHS.roles, '');
  paragraph(w.accessesHeading, 13, 'Helvetica-Bold');
  paragraph(w.accessesIntro);
  table(w.accessColumns, rows.accesses, WIDTHS.accesses, w.noAccesses);
  paragraph(w.timesNote);
  doc.end();
  return done;
}
