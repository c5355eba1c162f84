/**
 * What the box's printable PDFs share (the data subject's report, the register description): A4
 * pages through pdfkit in the standard Helvetica (its encoding has the Finnish letters), headings
 * and paragraphs that flow over pages, and tables whose rows never split across a page.
 */
import type PDFKit from 'pdfkit';

const MARGIN = 50;
export const FONT_SIZE = 9;
const CELL_PADDING = 4;

export interface PdfLayout {
  paragraph(text: string, size?: number, font?: string): void;
  heading(text: string, size?: number): void;
  /** A table with a bold header row; `relative` are the columns' relative widths; empty: `empty` instead. */
  table(columns: readonly string[], body: readonly string[][], relative: readonly number[], empty: string): void;
  /** Ends the document; resolves with its bytes. */
  end(): Promise<Buffer>;
}

export async function pdfLayout(options: { title: string; language: string; compress?: boolean }): Promise<PdfLayout> {
  // pdfkit and its fonts (~20 MB resident) are loaded at the first print, not by every start.
  const { default: PDFDocument } = await import('pdfkit');
  const doc: PDFKit.PDFDocument = new PDFDocument({ size: 'A4', margin: MARGIN, compress: options.compress ?? true, lang: options.language, info: { Title: options.title, Producer: 'Tallennin', Creator: 'Tallennin' } });
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
  return {
    paragraph,
    heading: (text, size = 13) => paragraph(text, size, 'Helvetica-Bold'),
    table(columns, body, relative, empty) {
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
    },
    end() {
      doc.end();
      return done;
    },
  };
}
