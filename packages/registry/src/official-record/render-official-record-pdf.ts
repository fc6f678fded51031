import PDFDocument from 'pdfkit';
import type { OfficialRecordInput } from './official-record-input.js';
import { pdfText } from './pdf-text.js';
import {
  addressLines,
  clientName,
  doseGroups,
  doseSource,
  formatDate,
  issuedLine,
  issuerName,
  recordTitle,
  sexLabel,
  text,
} from './record-text.js';

type Doc = PDFKit.PDFDocument;

// Letter, 40pt sides; the top and bottom margins (0.75in) hold the running header and the footer.
const margins = { top: 54, bottom: 54, left: 40, right: 40 };
const regular = 'Helvetica';
const bold = 'Helvetica-Bold';
const cellFontSize = 8;
const cellPadding = 3;
// A cell shows at most four lines and ends in "…": a 300-character lot number must not make one row
// taller than a page.
const maxCellLines = 4;

interface Column {
  label: string;
  width: number;
}

interface TableSection {
  /** A group heading row ("DTaP/DT/Td"), repeated with "(continued)" when the group crosses a page. */
  heading?: string;
  rows: string[][];
}

const doseColumns: Column[] = [
  { label: 'Date', width: 54 },
  { label: 'Vaccine', width: 62 },
  { label: 'CVX', width: 28 },
  { label: 'Trade name', width: 76 },
  { label: 'Manufacturer', width: 84 },
  { label: 'Lot', width: 66 },
  { label: 'Source', width: 62 },
  { label: 'Recorded by', width: 100 },
];

const recommendationColumns: Column[] = [
  { label: 'Vaccine group', width: 150 },
  { label: 'Status', width: 110 },
  { label: 'Next dose', width: 52 },
  { label: 'Earliest', width: 72 },
  { label: 'Recommended', width: 74 },
  { label: 'Past due', width: 74 },
];

/** The Official Immunization Record as a letter-size PDF. The same input gives the same bytes. */
export function renderOfficialRecordPdf(input: OfficialRecordInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margins,
      bufferPages: true, // "Page n of m" is written once m is known
      lang: 'en-US',
      displayTitle: true,
      // The metadata names the document, never the client: a file's properties travel further than its pages.
      info: {
        Title: recordTitle,
        Author: issuerName,
        Subject: 'Immunization history from ImmTrac2, the Texas Immunization Registry',
        Creator: 'ImmTrac2',
        Producer: 'ImmTrac2 (PDFKit)',
        // The file ID is a hash of this dictionary, so fixing the dates makes the output reproducible.
        CreationDate: input.issuedAt,
        ModDate: input.issuedAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      drawRecord(doc, input);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

function drawRecord(doc: Doc, input: OfficialRecordInput): void {
  const width = contentWidth(doc);
  doc.font(regular).fontSize(10).fillColor('black');
  doc.text(pdfText(issuerName), { width });
  doc.font(bold).fontSize(18).text(recordTitle, { width });
  rule(doc, doc.y + 4);
  doc.y += 12;

  drawClient(doc, input);

  doc.y += 14;
  const groups = doseGroups(input.doses);
  drawTable(doc, {
    title: 'Immunizations',
    columns: doseColumns,
    empty: 'No immunizations on record.',
    sections: groups.map((group) => ({
      heading: group.vaccineGroup,
      rows: group.doses.map((dose) => [
        formatDate(dose.date),
        text(dose.vaccine),
        text(dose.cvx),
        text(dose.tradeName),
        text(dose.manufacturer),
        text(dose.lot),
        doseSource(dose),
        text(dose.recordedBy),
      ]),
    })),
  });

  if (input.recommended?.length) {
    doc.y += 14;
    drawTable(doc, {
      title: 'Vaccines Recommended',
      columns: recommendationColumns,
      empty: '',
      sections: [
        {
          rows: input.recommended.map((r) => [
            text(r.vaccineGroup),
            text(r.status),
            text(r.nextDose),
            formatDate(r.earliest),
            formatDate(r.recommended),
            formatDate(r.pastDue),
          ]),
        },
      ],
    });
  }

  drawPageFrames(doc, input);
}

function drawClient(doc: Doc, input: OfficialRecordInput): void {
  const { client } = input;
  const fields: [string, string][] = [
    ['Name', clientName(client)],
    ['Date of birth', formatDate(client.birthDate)],
    ['Registry ID', text(client.registryId)],
    ['Sex', sexLabel(client.sex)],
    ['Address', addressLines(client).join('\n')],
  ];
  const left = margins.left;
  const labelWidth = 90;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of fields) {
    const y = doc.y;
    // Address lines are joined with \n on purpose; pdfText() would turn them into spaces.
    const printed = value.split('\n').map(pdfText).join('\n') || '—';
    doc.font(bold).fontSize(10).text(label, left, y, { width: labelWidth });
    doc.font(regular).fontSize(10);
    const height = Math.min(doc.heightOfString(printed, { width: valueWidth }), doc.currentLineHeight(true) * maxCellLines);
    doc.text(printed, left + labelWidth, y, { width: valueWidth, height, ellipsis: true });
    doc.y = y + Math.max(height, doc.currentLineHeight(true)) + 2;
  }
  doc.x = left;
}

/** A table whose column header is repeated at the top of every page it runs onto. */
function drawTable(doc: Doc, table: { title: string; columns: Column[]; sections: TableSection[]; empty: string }): void {
  const left = margins.left;
  const bottom = () => doc.page.height - margins.bottom;
  const headerCells = table.columns.map((c) => c.label);
  const headerHeight = rowHeight(doc, table.columns, headerCells, bold);
  const fullWidth: Column[] = [{ label: '', width: contentWidth(doc) }];
  const headingHeight = (heading: string | undefined) => (heading === undefined ? 0 : rowHeight(doc, fullWidth, [heading], bold));
  const titleHeight = 18;
  let y = doc.y;

  const drawHeader = () => {
    doc.rect(left, y, contentWidth(doc), headerHeight).fill('#d9d9d9');
    drawRow(doc, table.columns, headerCells, y, headerHeight, bold);
    y += headerHeight;
  };
  const drawHeading = (heading: string) => {
    const height = headingHeight(heading);
    doc.rect(left, y, contentWidth(doc), height).fill('#f0f0f0');
    drawRow(doc, fullWidth, [heading], y, height, bold);
    y += height;
  };
  const newPage = () => {
    doc.addPage();
    y = margins.top;
    drawHeader();
  };

  // The title never ends a page alone: it needs its header and a first row below it.
  const first = table.sections[0];
  const firstRow = first?.rows[0];
  const firstHeight = headingHeight(first?.heading) + (firstRow ? rowHeight(doc, table.columns, firstRow, regular) : 0);
  if (y + titleHeight + headerHeight + firstHeight > bottom()) {
    doc.addPage();
    y = margins.top;
  }
  doc.fillColor('black').font(bold).fontSize(12).text(table.title, left, y, { width: contentWidth(doc) });
  y += titleHeight;
  drawHeader();

  if (table.sections.every((s) => s.rows.length === 0)) {
    doc.fillColor('black').font(regular).fontSize(10).text(table.empty, left + cellPadding, y + cellPadding, { width: contentWidth(doc) });
    y = doc.y;
  }
  for (const section of table.sections) {
    const sectionFirst = section.rows[0];
    if (section.heading !== undefined) {
      // A group heading never ends a page alone either.
      const needed = headingHeight(section.heading) + (sectionFirst ? rowHeight(doc, table.columns, sectionFirst, regular) : 0);
      if (y + needed > bottom()) newPage();
      drawHeading(section.heading);
    }
    for (const row of section.rows) {
      const height = rowHeight(doc, table.columns, row, regular);
      if (y + height > bottom()) {
        newPage();
        if (section.heading !== undefined) drawHeading(`${section.heading} (continued)`);
      }
      drawRow(doc, table.columns, row, y, height, regular);
      doc.moveTo(left, y + height).lineTo(left + contentWidth(doc), y + height).lineWidth(0.5).strokeColor('#bfbfbf').stroke();
      y += height;
    }
  }
  doc.x = left;
  doc.y = y;
}

function drawRow(doc: Doc, columns: Column[], cells: string[], y: number, height: number, font: string): void {
  let x = margins.left;
  doc.fillColor('black').font(font).fontSize(cellFontSize);
  columns.forEach((column, i) => {
    const cell = pdfText(cells[i] ?? '');
    if (cell) doc.text(cell, x + cellPadding, y + cellPadding, { ...cellOptions(column.width), height: height - cellPadding });
    x += column.width;
  });
}

function rowHeight(doc: Doc, columns: Column[], cells: string[], font: string): number {
  doc.font(font).fontSize(cellFontSize);
  const lineHeight = doc.currentLineHeight(true);
  const tallest = Math.max(
    lineHeight,
    ...columns.map((column, i) => {
      const cell = pdfText(cells[i] ?? '');
      return cell ? doc.heightOfString(cell, cellOptions(column.width)) : 0;
    }),
  );
  return Math.min(tallest, lineHeight * maxCellLines) + 2 * cellPadding;
}

function cellOptions(width: number): PDFKit.Mixins.TextOptions {
  return { width: width - 2 * cellPadding, ellipsis: true, lineGap: 0 };
}

/** Every page: the footer (issued by/at, "Page n of m"); after the first, a running header naming the client. */
function drawPageFrames(doc: Doc, input: OfficialRecordInput): void {
  const { start, count } = doc.bufferedPageRange();
  const width = contentWidth(doc);
  const left = margins.left;
  const runningHeader = pdfText(
    `${recordTitle} — ${clientName(input.client)} — DOB ${formatDate(input.client.birthDate)} — Registry ID ${text(input.client.registryId)}`,
  );
  const issued = pdfText(issuedLine(input));
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    // Text below the bottom margin would make pdfkit start a new page; the frame is drawn without it.
    doc.page.margins.bottom = 0;
    doc.fillColor('#404040').font(regular).fontSize(8);
    if (index > start) {
      doc.text(runningHeader, left, 30, { width, height: 12, ellipsis: true, lineBreak: false });
    }
    const footerY = doc.page.height - 42;
    rule(doc, footerY - 4);
    const pageLabel = `Page ${index - start + 1} of ${count}`;
    const pageLabelWidth = 70;
    doc.text(issued, left, footerY, { width: width - pageLabelWidth, height: 22, ellipsis: true });
    doc.text(pageLabel, left + width - pageLabelWidth, footerY, { width: pageLabelWidth, align: 'right', lineBreak: false });
    doc.page.margins.bottom = margins.bottom;
  }
}

function rule(doc: Doc, y: number): void {
  doc.moveTo(margins.left, y).lineTo(margins.left + contentWidth(doc), y).lineWidth(0.75).strokeColor('#808080').stroke();
}

function contentWidth(doc: Doc): number {
  return doc.page.width - margins.left - margins.right;
}
