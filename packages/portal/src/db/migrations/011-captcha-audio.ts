import type { Knex } from 'knex';

/**
 * The CAPTCHA's audio alternative (issue #13, WCAG 1.1.1) speaks the answer on request, so the
 * server must read it back: sealed (AES-256-GCM, `v1.<iv>.<tag>.<ciphertext>`, about 90
 * characters for a 5-character answer), beside the HMAC the check compares. Nullable: pictures
 * made before this migration have no spoken version and simply offer none.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('captchas', (t) => {
    t.string('answer_sealed', 200).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('captchas', (t) => {
    t.dropColumn('answer_sealed');
  });
}
