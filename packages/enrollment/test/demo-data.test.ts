import { createDb } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase } from '@portal/portal/testing';
import { prepareEnrollment } from '../src/prepare.js';

test('demo data outside production: enrollments in different states for the demo organizations, once', async () => {
  const database = await freshDatabase();
  const db = createDb(database.url);
  try {
    await migrateRpKit(db);
    expect(await prepareEnrollment(db, { demoData: true })).toBe(3);
    const rows = await db('enrollments').orderBy('organization_iis_id').select('organization_iis_id', 'status', 'programme');
    expect(rows).toEqual([
      { organization_iis_id: '1000000001', status: 'approved', programme: 'tvfc' },
      { organization_iis_id: '1000000002', status: 'submitted', programme: 'covid19' },
      { organization_iis_id: '1000000003', status: 'draft', programme: 'asn' },
    ]);
    // A restart migrates nothing new and adds no second copy.
    expect(await prepareEnrollment(db, { demoData: true })).toBe(0);
    expect(Number(((await db('enrollments').count({ n: '*' })) as { n: number | string }[])[0]!.n)).toBe(3);
  } finally {
    await db.destroy();
    await database.drop();
  }
});
