/**
 * What Texas coordinators order through VAOS: a small curated table written for VAOS (not shared
 * with ImmTrac2's admin-support tables), from public facts — CDC's CVX and MVX code sets and the
 * manufacturers' package NDCs in the FDA NDC Directory. An operator adds rows through the database.
 */
export interface CatalogueRow { ndc: string; cvx: string; vaccine: string; tradeName: string; manufacturer: string; dosesPerPackage: number }

export const catalogue: readonly CatalogueRow[] = [
  { ndc: '00006-4093-01', cvx: '08', vaccine: 'Hep B, adolescent or pediatric', tradeName: 'RECOMBIVAX HB', manufacturer: 'Merck and Co., Inc.', dosesPerPackage: 10 },
  { ndc: '49281-0286-01', cvx: '106', vaccine: 'DTaP, 5 pertussis antigens', tradeName: 'DAPTACEL', manufacturer: 'Sanofi Pasteur', dosesPerPackage: 10 },
  { ndc: '49281-0510-05', cvx: '120', vaccine: 'DTaP-Hib-IPV', tradeName: 'PENTACEL', manufacturer: 'Sanofi Pasteur', dosesPerPackage: 5 },
  { ndc: '58160-0842-01', cvx: '115', vaccine: 'Tdap', tradeName: 'BOOSTRIX', manufacturer: 'GlaxoSmithKline', dosesPerPackage: 10 },
  { ndc: '49281-0860-10', cvx: '10', vaccine: 'IPV', tradeName: 'IPOL', manufacturer: 'Sanofi Pasteur', dosesPerPackage: 10 },
  { ndc: '00006-4681-00', cvx: '03', vaccine: 'MMR', tradeName: 'M-M-R II', manufacturer: 'Merck and Co., Inc.', dosesPerPackage: 10 },
  { ndc: '00006-4826-00', cvx: '21', vaccine: 'varicella', tradeName: 'VARIVAX', manufacturer: 'Merck and Co., Inc.', dosesPerPackage: 10 },
  { ndc: '00005-1971-01', cvx: '133', vaccine: 'PCV13', tradeName: 'PREVNAR 13', manufacturer: 'Pfizer, Inc', dosesPerPackage: 10 },
  { ndc: '00006-4047-01', cvx: '116', vaccine: 'rotavirus, pentavalent', tradeName: 'ROTATEQ', manufacturer: 'Merck and Co., Inc.', dosesPerPackage: 10 },
  { ndc: '00006-4119-01', cvx: '165', vaccine: 'HPV9', tradeName: 'GARDASIL 9', manufacturer: 'Merck and Co., Inc.', dosesPerPackage: 10 },
  { ndc: '49281-0421-50', cvx: '150', vaccine: 'influenza, quadrivalent, PF', tradeName: 'FLUZONE QUADRIVALENT', manufacturer: 'Sanofi Pasteur', dosesPerPackage: 10 },
];

/** Why doses were wasted: the list the waste report offers (the words: `reasons` of locales.ts). */
export const wasteReasons = ['expired', 'broken_vial', 'temperature_excursion', 'drawn_not_administered', 'other'] as const;
export type WasteReason = (typeof wasteReasons)[number];
