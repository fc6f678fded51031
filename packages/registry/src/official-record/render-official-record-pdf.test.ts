import { PDFParse } from 'pdf-parse';
import type { OfficialRecordInput } from './official-record-input.js';
import { renderOfficialRecordPdf } from './render-official-record-pdf.js';
import { sampleDoses, sampleRecord } from './sample-record.js';

/** The PDF as a reader sees it: its text (pages in order), page count and document properties. */
async function readPdf(pdf: Buffer) {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo();
    return { text: text.text, pages: text.pages.map((p) => p.text), info: info.info as Record<string, unknown> };
  } finally {
    await parser.destroy();
  }
}

function mmddyyyy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

test('the record names the client and lists every dose with its date, vaccine and lot', async () => {
  const input = sampleRecord();
  const { text, pages } = await readPdf(await renderOfficialRecordPdf(input));

  expect(pages).toHaveLength(1);
  expect(text).toContain('Texas Department of State Health Services — ImmTrac2');
  expect(text).toContain('Official Immunization Record');
  expect(text).toContain("María José Nuñez-O'Brien");
  expect(text).toMatch(/Date of birth\s+06\/09\/2014/);
  expect(text).toMatch(/Registry ID\s+7654321/);
  expect(text).toMatch(/Sex\s+Female/);
  expect(text).toContain('1100 W 49th St');
  expect(text).toContain('Austin, TX 78756');
  for (const dose of input.doses) {
    const row = text.indexOf(`${mmddyyyy(dose.date)} ${dose.vaccine} ${dose.cvx}`);
    expect(row).toBeGreaterThanOrEqual(0);
    // A wrapped trade name can put the lot on the next extracted line, never further.
    expect(text.slice(row, row + 120)).toContain(dose.lot!);
    expect(text.slice(row, row + 160)).toContain(dose.historical ? 'Historical' : 'Administered');
  }
  expect(text).toMatch(/Vaccines Recommended\s+Vaccine group\s+Status/);
  expect(text).toMatch(/HPV\s+Due now\s+1\s+06\/09\/2023\s+06\/09\/2025\s+06\/09\/2027/);
  expect(text).toContain('Issued 03/04/2025 2:05 PM CST (America/Chicago) by Pat Nurse, Austin Pediatrics');
  expect(text).toContain('Page 1 of 1');
});

test('doses are grouped by vaccine group, oldest first within a group', async () => {
  const doses = sampleRecord().doses;
  const shuffled = [doses[5]!, doses[2]!, doses[0]!, doses[4]!, doses[1]!, doses[3]!];
  const { text } = await readPdf(await renderOfficialRecordPdf(sampleRecord({ doses: shuffled })));
  const order = ['DTaP/DT/Td/Tdap', '01/01/2015 DTaP', '06/06/2015 DTaP', 'Hepatitis B', 'Influenza', 'MMR', 'Polio'].map((s) => text.indexOf(s));
  expect(order.every((position) => position >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});

test('a long record runs onto numbered pages, each with the table header, and loses no dose', async () => {
  const input = sampleRecord({ doses: sampleDoses(120) });
  const { text, pages } = await readPdf(await renderOfficialRecordPdf(input));

  const total = pages.length;
  expect(total).toBeGreaterThanOrEqual(4);
  pages.forEach((page, i) => {
    expect(page).toContain(`Page ${i + 1} of ${total}`);
    expect(page).toMatch(/Date\s+Vaccine\s+CVX\s+Trade name\s+Manufacturer\s+Lot\s+Source\s+Recorded by/);
    if (i > 0) expect(page).toContain("Official Immunization Record — María José Nuñez-O'Brien — DOB 06/09/2014 — Registry ID 7654321");
  });
  expect(pages[0]).toContain('Page 1 of ' + total);
  for (const dose of input.doses) expect(text).toContain(`${mmddyyyy(dose.date)} ${dose.vaccine} ${dose.cvx}`);
  for (const dose of input.doses) expect(text).toContain(dose.lot!);
  // A group that crosses a page says so at the top of the next one.
  expect(text).toContain('(continued)');
});

test('the document properties name the document and its issuer, not the client', async () => {
  const input = sampleRecord();
  const { info } = await readPdf(await renderOfficialRecordPdf(input));
  expect(info.Title).toBe('Official Immunization Record');
  expect(info.Author).toBe('Texas Department of State Health Services — ImmTrac2');
  expect(info.Subject).toContain('ImmTrac2');
  expect(info.CreationDate).toBe('D:20250304200500Z');
  expect(JSON.stringify(info)).not.toMatch(/Nu[ñn]ez|7654321|2014/);
});

test('the same input gives the same bytes', async () => {
  const [first, second] = await Promise.all([renderOfficialRecordPdf(sampleRecord()), renderOfficialRecordPdf(sampleRecord())]);
  expect(first.equals(second)).toBe(true);
});

test('hostile and unusual text prints as text', async () => {
  const input = sampleRecord();
  input.client.firstName = '<script>alert(1)</script>';
  input.client.lastName = `"Nuñez-O'Brien" & Sons`;
  input.client.middleName = 'Dvořák 李';
  const { text } = await readPdf(await renderOfficialRecordPdf(input));
  expect(text).toContain(`<script>alert(1)</script> Dvorák ? "Nuñez-O'Brien" & Sons`);
});

test('rows as the database may return them render without throwing', async () => {
  const longLot = 'L'.repeat(40) + 'X'.repeat(400);
  const untyped = null as unknown as string;
  const input: OfficialRecordInput = sampleRecord({
    client: { registryId: '1', firstName: 'Ana', lastName: 'Ruiz '.repeat(300), birthDate: 'not a date', sex: null, address: null },
    doses: [
      { date: '2020-01-02', vaccineGroup: untyped, vaccine: 'MMR', cvx: '03', lot: longLot, historical: true, recordedBy: 'Clinic\u0000\n\tName' },
      { date: untyped, vaccineGroup: 'MMR', vaccine: untyped, cvx: '', tradeName: '', manufacturer: null, lot: null, historical: false, recordedBy: '' },
      { date: '2021-02-03', vaccineGroup: 'Polio '.repeat(300), vaccine: 'IPV \u202eevil\u200b 🙂', cvx: '10', historical: false, recordedBy: 'x'.repeat(2000) },
    ],
    recommended: [{ vaccineGroup: 'HPV', status: '' }],
    issuedBy: { organization: 'O'.repeat(500), person: '' },
  });
  const { text, pages } = await readPdf(await renderOfficialRecordPdf(input));
  expect(pages).toHaveLength(1);
  expect(text).toMatch(/Date of birth\s+not a date/);
  expect(text).toContain('L'.repeat(11)); // the lot wraps inside its column
  expect(text).toContain('…'); // and is cut short rather than running down the page
  expect(text).toContain('02/03/2021 IPV evil ? 10');
  expect(text).toContain('Other'); // a dose without a vaccine group
  // A name or group heading the length of a page is cut short too, and does not run under the rows below it.
  expect(text).toMatch(/Ruiz…\s+Date of birth/);
  expect(text).toMatch(/Polio…\s+02\/03\/2021/);
  expect(text).toContain('Page 1 of 1');
});

test('an empty record says so', async () => {
  const { text } = await readPdf(await renderOfficialRecordPdf(sampleRecord({ doses: [], recommended: [] })));
  expect(text).toContain('No immunizations on record.');
  expect(text).not.toContain('Vaccines Recommended');
});
