import { createHash } from 'node:crypto';

/**
 * The Confidentiality Statement every user agrees to before ImmTrac2 opens (seed 000, "Logging In
 * (3 of 3)"). Its version is a hash of its text, so changing a word asks everyone again — nobody
 * has to remember to bump a number.
 */
export const confidentialityStatement = [
  'ImmTrac2, the Texas Immunization Registry, holds confidential health information about Texans protected by Texas Health and Safety Code Chapter 161, Subchapter A, and other state and federal law.',
  'I will access and use registry information only to provide, or to support the provision of, immunizations and related care to the clients of the organization I am working for, and only as my role allows.',
  'I will not disclose registry information to anyone not authorized to receive it, print or export it except for those purposes, or look up a client for any personal reason.',
  'I will protect my Enterprise Portal username and password, will not let anyone else use my account, and will sign out or lock my screen when I step away.',
  'I understand that my use of ImmTrac2 is recorded, that misuse may result in the loss of access, disciplinary action and civil or criminal penalties, and that a client who has withdrawn consent must not be added back without a new consent form.',
] as const;

export const statementVersion = createHash('sha256').update(confidentialityStatement.join('\n')).digest('hex').slice(0, 16);
