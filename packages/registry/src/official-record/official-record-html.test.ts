import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { officialRecordCss, officialRecordHtml, officialRecordStaticDir, officialRecordStaticPath } from './official-record-html.js';
import { sampleDoses, sampleRecord } from './sample-record.js';

/** The text of an element's cells, tags removed and entities left as they are. */
function rows(page: string, tableClass: string): string[][] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')),
  );
}

test('the print page shows the client and every dose in an accessible table', () => {
  const page = officialRecordHtml(sampleRecord()).toString();

  expect(page).toContain('<article class="official-record" aria-labelledby="official-record-title">');
  expect(page).toContain('<h1 id="official-record-title">Official Immunization Record</h1>');
  expect(page).toContain('Texas Department of State Health Services — ImmTrac2');
  expect(page).toContain('<dt>Name</dt><dd>María José Nuñez-O&#39;Brien</dd>');
  expect(page).toContain('<dt>Date of birth</dt><dd><time datetime="2014-06-09">06/09/2014</time></dd>');
  expect(page).toContain('<dt>Registry ID</dt><dd>7654321</dd>');
  expect(page).toContain('<dt>Address</dt><dd>1100 W 49th St<br>Apt 3<br>Austin, TX 78756</dd>');
  expect(page).toContain('<caption>Immunizations</caption>');
  expect(page).toContain('<th scope="col">Lot</th>');
  expect(page).toContain('<th scope="rowgroup" colspan="8">DTaP/DT/Td/Tdap</th>');
  expect(rows(page, 'official-record-doses')).toEqual([
    ['Date', 'Vaccine', 'CVX', 'Trade name', 'Manufacturer', 'Lot', 'Source', 'Recorded by'],
    ['DTaP/DT/Td/Tdap'],
    ['01/01/2015', 'DTaP', '20', 'Daptacel', 'Sanofi Pasteur', 'LOT0001', 'Administered', 'Travis County Health Clinic'],
    ['06/06/2015', 'DTaP', '20', 'Daptacel', 'Sanofi Pasteur', 'LOT0006', 'Administered', 'Austin Pediatrics'],
    ['Hepatitis B'],
    ['02/02/2015', 'HepB', '08', 'Engerix-B', 'GlaxoSmithKline', 'LOT0002', 'Administered', 'Austin Pediatrics'],
    ['Influenza'],
    ['05/05/2015', 'Flu IIV4', '150', 'Fluzone Quadrivalent', 'Sanofi Pasteur', 'LOT0005', 'Administered', 'Travis County Health Clinic'],
    ['MMR'],
    ['04/04/2015', 'MMR', '03', 'M-M-R II', 'Merck', 'LOT0004', 'Historical', 'Austin Pediatrics'],
    ['Polio'],
    ['03/03/2015', 'IPV', '10', 'IPOL', 'Sanofi Pasteur', 'LOT0003', 'Administered', 'Travis County Health Clinic'],
  ]);
  expect(page).toContain('<caption>Vaccines Recommended</caption>');
  expect(rows(page, 'official-record-recommended')[1]).toEqual(['HPV', 'Due now', '1', '06/09/2023', '06/09/2025', '06/09/2027']);
  expect(page).toContain('<th scope="row">HPV</th>');
  expect(page).toContain('Issued 03/04/2025 2:05 PM CST (America/Chicago) by Pat Nurse, Austin Pediatrics');
});

test('a long record keeps every dose', () => {
  const doses = sampleDoses(120);
  const page = officialRecordHtml(sampleRecord({ doses })).toString();
  const lots = rows(page, 'official-record-doses').map((cells) => cells[5]).filter(Boolean);
  expect(lots.slice(1).sort()).toEqual(doses.map((d) => d.lot).sort());
});

test('text from the database is escaped, in content and in attributes', () => {
  const input = sampleRecord();
  input.client.firstName = '<script>alert(1)</script>';
  input.client.lastName = `"Nuñez-O'Brien" & Sons`;
  input.doses[0]!.lot = '<img src=x onerror=alert(2)>';
  input.doses[0]!.vaccineGroup = '</th></tr><tr><td>';
  input.doses[1]!.date = '"><b>';
  const page = officialRecordHtml(input, { pdfHref: '/record.pdf?x="><script>alert(3)</script>' }).toString();

  expect(page).toContain('<dd>&lt;script&gt;alert(1)&lt;/script&gt; José &quot;Nuñez-O&#39;Brien&quot; &amp; Sons</dd>');
  expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
  expect(page).toContain('&lt;/th&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;');
  expect(page).toContain('<td>&quot;&gt;&lt;b&gt;</td>');
  expect(page).toContain('<a href="/record.pdf?x=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;">Download as PDF</a>');
  // The only markup is ours: one script element (the Print button's file) and no stray tags.
  expect(page.match(/<script/g)).toHaveLength(1);
  expect(page).not.toMatch(/<img|<b>|onerror=alert\(2\)>/);
});

test('empty and missing optional fields print as nothing, not "null"', () => {
  const input = sampleRecord({ recommended: [] });
  Object.assign(input.client, { middleName: null, suffix: undefined, sex: null, address: null });
  Object.assign(input.doses[0]!, { tradeName: null, manufacturer: undefined, lot: '' });
  const page = officialRecordHtml(input).toString();
  expect(page).toContain("<dd>María Nuñez-O&#39;Brien</dd>");
  expect(page).toContain('<dt>Sex</dt><dd>—</dd>');
  expect(page).toContain('<dt>Address</dt><dd>—</dd>');
  expect(page).not.toMatch(/null|undefined/);
  expect(page).not.toContain('Vaccines Recommended');
  expect(officialRecordHtml(sampleRecord({ doses: [] })).toString()).toContain('No immunizations on record.');
});

test('the page links its stylesheet and script from the static folder, which holds them', () => {
  const page = officialRecordHtml(sampleRecord()).toString();
  expect(page).toContain(`<link rel="stylesheet" href="${officialRecordStaticPath}/official-record.css">`);
  expect(page).toContain(`<script src="${officialRecordStaticPath}/print-record.js" defer></script>`);
  expect(existsSync(join(officialRecordStaticDir, 'official-record.css'))).toBe(true);
  expect(existsSync(join(officialRecordStaticDir, 'print-record.js'))).toBe(true);
  // No inline style or script: the CSP forbids them.
  expect(page).not.toMatch(/style=|<style|on[a-z]+=/);
  expect(officialRecordCss).toMatch(/@media print \{[\s\S]*\.official-record/);
  expect(officialRecordCss).toContain('.no-print { display: none !important; }');
});
