/** The register description as a PDF: the same document as the HTML page, on A4 (print/pdf-layout.ts). */
import { pdfLayout } from '../print/pdf-layout.js';
import { LIMIT_WORD, type RegisterDocument } from './register-text.js';

export async function registerPdf(doc: RegisterDocument, options: { compress?: boolean } = {}): Promise<Buffer> {
  const pdf = await pdfLayout({ title: doc.title, language: doc.language, ...(options.compress === undefined ? {} : { compress: options.compress }) });
  pdf.heading(doc.title, 16);
  pdf.paragraph(doc.intro);
  for (const row of doc.identity) pdf.paragraph(`${row.label}: ${row.value}`);
  pdf.paragraph(doc.generated);
  pdf.paragraph(doc.summary.text, undefined, 'Helvetica-Bold');
  for (const section of doc.sections) {
    pdf.heading(section.heading);
    for (const text of section.paragraphs) pdf.paragraph(text);
    for (const line of section.promises) {
      pdf.paragraph(`${line.promise}. ${line.text}`);
      pdf.paragraph(`[${line.statusText}] ${line.measured}${line.limit === null ? '' : ` (${LIMIT_WORD[doc.language]} ${line.limit})`}`, undefined, line.status === 'fail' ? 'Helvetica-Bold' : 'Helvetica-Oblique');
    }
  }
  pdf.heading(doc.record.heading);
  pdf.paragraph(doc.record.intro);
  pdf.table([doc.language === 'fi' ? 'Kohta' : 'Item', doc.language === 'fi' ? 'Kuvaus' : 'Description'], doc.record.rows.map((row) => [row.label, row.value]), [1, 3], '');
  return pdf.end();
}
