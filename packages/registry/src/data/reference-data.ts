/**
 * The admin-support information tables (seed 000: "five information tables that display vaccine,
 * trade name, and manufacturer data"), curated for the project from public facts: CDC's CVX
 * (vaccine) and MVX (manufacturer) code sets and the NDC Directory. Only what Texas providers give
 * routinely; an operator extends them through the database. The forecast's own rules live in
 * forecast/ and name the same CVX codes.
 */
export interface VaccineGroupRow { code: string; label: string }
export interface VaccineRow { cvx: string; shortName: string; fullName: string; status: 'Active' | 'Inactive'; groups: string[] }
export interface ManufacturerRow { mvx: string; name: string; status: 'Active' | 'Inactive' }
export interface TradeNameRow { name: string; cvx: string; mvx: string }
export interface NdcRow { ndc: string; cvx: string; mvx: string; tradeName: string; dosesPerPackage: number }

export const vaccineGroups: readonly VaccineGroupRow[] = [
  { code: 'HepB', label: 'Hepatitis B' },
  { code: 'DTaP', label: 'DTaP/Tdap/Td' },
  { code: 'Hib', label: 'Hib' },
  { code: 'Polio', label: 'Polio' },
  { code: 'PCV', label: 'Pneumococcal' },
  { code: 'Rotavirus', label: 'Rotavirus' },
  { code: 'MMR', label: 'MMR' },
  { code: 'Varicella', label: 'Varicella' },
  { code: 'HepA', label: 'Hepatitis A' },
  { code: 'HPV', label: 'HPV' },
  { code: 'MenACWY', label: 'Meningococcal ACWY' },
  { code: 'MenB', label: 'Meningococcal B' },
  { code: 'Influenza', label: 'Influenza' },
  { code: 'COVID-19', label: 'COVID-19' },
  { code: 'Zoster', label: 'Zoster' },
];

const v = (cvx: string, shortName: string, fullName: string, groups: string[], status: VaccineRow['status'] = 'Active'): VaccineRow => ({ cvx, shortName, fullName, status, groups });

export const vaccines: readonly VaccineRow[] = [
  v('08', 'Hep B, adolescent or pediatric', 'hepatitis B vaccine, pediatric or pediatric/adolescent dosage', ['HepB']),
  v('43', 'Hep B, adult', 'hepatitis B vaccine, adult dosage', ['HepB']),
  v('45', 'Hep B, unspecified formulation', 'hepatitis B vaccine, unspecified formulation', ['HepB'], 'Inactive'),
  v('189', 'HepB-CpG', 'Hepatitis B vaccine (recombinant), CpG adjuvanted', ['HepB']),
  v('20', 'DTaP', 'diphtheria, tetanus toxoids and acellular pertussis vaccine', ['DTaP']),
  v('106', 'DTaP, 5 pertussis antigens', 'diphtheria, tetanus toxoids and acellular pertussis vaccine, 5 pertussis antigens', ['DTaP']),
  v('107', 'DTaP, unspecified formulation', 'diphtheria, tetanus toxoids and acellular pertussis vaccine, unspecified formulation', ['DTaP'], 'Inactive'),
  v('28', 'DT (pediatric)', 'diphtheria and tetanus toxoids, adsorbed for pediatric use', ['DTaP'], 'Inactive'),
  v('110', 'DTaP-Hep B-IPV', 'DTaP-hepatitis B and poliovirus vaccine', ['DTaP', 'HepB', 'Polio']),
  v('120', 'DTaP-Hib-IPV', 'diphtheria, tetanus toxoids and acellular pertussis vaccine, Haemophilus influenzae type b conjugate, and poliovirus vaccine', ['DTaP', 'Hib', 'Polio']),
  v('130', 'DTaP-IPV', 'Diphtheria, tetanus toxoids and acellular pertussis vaccine, and poliovirus vaccine, inactivated', ['DTaP', 'Polio']),
  v('146', 'DTaP,IPV,Hib,HepB', 'Diphtheria and Tetanus Toxoids and Acellular Pertussis Adsorbed, Inactivated Poliovirus, Haemophilus b Conjugate and Hepatitis B Vaccine', ['DTaP', 'Polio', 'Hib', 'HepB']),
  v('115', 'Tdap', 'tetanus toxoid, reduced diphtheria toxoid, and acellular pertussis vaccine, adsorbed', ['DTaP']),
  v('113', 'Td (adult), preservative free', 'tetanus and diphtheria toxoids, adsorbed, preservative free, for adult use', ['DTaP']),
  v('10', 'IPV', 'poliovirus vaccine, inactivated', ['Polio']),
  v('89', 'polio, unspecified formulation', 'poliovirus vaccine, unspecified formulation', ['Polio'], 'Inactive'),
  v('48', 'Hib (PRP-T)', 'Haemophilus influenzae type b vaccine, PRP-T conjugate', ['Hib']),
  v('49', 'Hib (PRP-OMP)', 'Haemophilus influenzae type b vaccine, PRP-OMP conjugate', ['Hib']),
  v('17', 'Hib, unspecified formulation', 'Haemophilus influenzae type b vaccine, conjugate unspecified formulation', ['Hib'], 'Inactive'),
  v('133', 'PCV13', 'pneumococcal conjugate vaccine, 13 valent', ['PCV']),
  v('215', 'PCV15', 'pneumococcal conjugate vaccine, 15 valent', ['PCV']),
  v('216', 'PCV20', 'pneumococcal conjugate vaccine, 20 valent', ['PCV']),
  v('33', 'PPSV23', 'pneumococcal polysaccharide vaccine, 23 valent', ['PCV']),
  v('116', 'rotavirus, pentavalent', 'rotavirus, live, pentavalent vaccine', ['Rotavirus']),
  v('119', 'rotavirus, monovalent', 'rotavirus, live, monovalent vaccine', ['Rotavirus']),
  v('03', 'MMR', 'measles, mumps and rubella virus vaccine', ['MMR']),
  v('94', 'MMRV', 'measles, mumps, rubella, and varicella virus vaccine', ['MMR', 'Varicella']),
  v('21', 'varicella', 'varicella virus vaccine', ['Varicella']),
  v('83', 'Hep A, ped/adol, 2 dose', 'hepatitis A vaccine, pediatric/adolescent dosage, 2 dose schedule', ['HepA']),
  v('85', 'Hep A, unspecified formulation', 'hepatitis A vaccine, unspecified formulation', ['HepA'], 'Inactive'),
  v('52', 'Hep A, adult', 'hepatitis A vaccine, adult dosage', ['HepA']),
  v('62', 'HPV, quadrivalent', 'human papilloma virus vaccine, quadrivalent', ['HPV']),
  v('118', 'HPV, bivalent', 'human papilloma virus vaccine, bivalent', ['HPV'], 'Inactive'),
  v('165', 'HPV9', 'Human Papillomavirus 9-valent vaccine', ['HPV']),
  v('136', 'MenACWY-CRM', 'meningococcal oligosaccharide (groups A, C, Y and W-135) diphtheria toxoid conjugate vaccine', ['MenACWY']),
  v('203', 'MenACWY-TT', 'meningococcal polysaccharide (groups A, C, Y, W-135) tetanus toxoid conjugate vaccine', ['MenACWY']),
  v('162', 'MenB-FHbp', 'meningococcal B vaccine, fully recombinant', ['MenB']),
  v('163', 'MenB-4C', 'meningococcal B vaccine, recombinant, OMV, adjuvanted', ['MenB']),
  v('140', 'Influenza, trivalent, PF', 'Influenza, split virus, trivalent, injectable, preservative free', ['Influenza']),
  v('141', 'Influenza, trivalent', 'Influenza, split virus, trivalent, injectable, contains preservative', ['Influenza']),
  v('150', 'influenza, quadrivalent, PF', 'Influenza, injectable, quadrivalent, preservative free', ['Influenza']),
  v('88', 'influenza, unspecified formulation', 'influenza virus vaccine, unspecified formulation', ['Influenza'], 'Inactive'),
  v('208', 'COVID-19, mRNA, 30 mcg', 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose', ['COVID-19'], 'Inactive'),
  v('207', 'COVID-19, mRNA, 100 mcg', 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 100 mcg/0.5mL dose', ['COVID-19'], 'Inactive'),
  v('213', 'COVID-19, unspecified', 'SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION', ['COVID-19'], 'Inactive'),
  // Not a vaccine: what an HL7 sender codes a refusal or "not administered" with (never stored as a dose).
  v('998', 'no vaccine administered', 'no vaccine administered', [], 'Inactive'),
  v('187', 'zoster recombinant', 'zoster vaccine recombinant, adjuvanted', ['Zoster']),
];

export const manufacturers: readonly ManufacturerRow[] = [
  { mvx: 'MSD', name: 'Merck and Co., Inc.', status: 'Active' },
  { mvx: 'SKB', name: 'GlaxoSmithKline', status: 'Active' },
  { mvx: 'PMC', name: 'Sanofi Pasteur', status: 'Active' },
  { mvx: 'PFR', name: 'Pfizer, Inc', status: 'Active' },
  { mvx: 'WAL', name: 'Wyeth', status: 'Active' },
  { mvx: 'MSP', name: 'MSP Vaccine Company', status: 'Active' },
  { mvx: 'DVX', name: 'Dynavax Technologies Corporation', status: 'Active' },
  { mvx: 'NOV', name: 'Novartis Pharmaceutical Corporation', status: 'Inactive' },
  { mvx: 'MOD', name: 'Moderna US, Inc.', status: 'Active' },
  { mvx: 'SEQ', name: 'Seqirus', status: 'Active' },
  { mvx: 'UNK', name: 'Unknown manufacturer', status: 'Active' },
];

export const tradeNames: readonly TradeNameRow[] = [
  { name: 'ENGERIX-B', cvx: '08', mvx: 'SKB' },
  { name: 'RECOMBIVAX HB', cvx: '08', mvx: 'MSD' },
  { name: 'ENGERIX-B', cvx: '43', mvx: 'SKB' },
  { name: 'HEPLISAV-B', cvx: '189', mvx: 'DVX' },
  { name: 'INFANRIX', cvx: '20', mvx: 'SKB' },
  { name: 'DAPTACEL', cvx: '106', mvx: 'PMC' },
  { name: 'PEDIARIX', cvx: '110', mvx: 'SKB' },
  { name: 'PENTACEL', cvx: '120', mvx: 'PMC' },
  { name: 'KINRIX', cvx: '130', mvx: 'SKB' },
  { name: 'QUADRACEL', cvx: '130', mvx: 'PMC' },
  { name: 'VAXELIS', cvx: '146', mvx: 'MSP' },
  { name: 'BOOSTRIX', cvx: '115', mvx: 'SKB' },
  { name: 'ADACEL', cvx: '115', mvx: 'PMC' },
  { name: 'TENIVAC', cvx: '113', mvx: 'PMC' },
  { name: 'IPOL', cvx: '10', mvx: 'PMC' },
  { name: 'ACTHIB', cvx: '48', mvx: 'PMC' },
  { name: 'HIBERIX', cvx: '48', mvx: 'SKB' },
  { name: 'PEDVAXHIB', cvx: '49', mvx: 'MSD' },
  { name: 'PREVNAR 13', cvx: '133', mvx: 'PFR' },
  { name: 'VAXNEUVANCE', cvx: '215', mvx: 'MSD' },
  { name: 'PREVNAR 20', cvx: '216', mvx: 'PFR' },
  { name: 'PNEUMOVAX 23', cvx: '33', mvx: 'MSD' },
  { name: 'ROTATEQ', cvx: '116', mvx: 'MSD' },
  { name: 'ROTARIX', cvx: '119', mvx: 'SKB' },
  { name: 'M-M-R II', cvx: '03', mvx: 'MSD' },
  { name: 'PRIORIX', cvx: '03', mvx: 'SKB' },
  { name: 'PROQUAD', cvx: '94', mvx: 'MSD' },
  { name: 'VARIVAX', cvx: '21', mvx: 'MSD' },
  { name: 'HAVRIX', cvx: '83', mvx: 'SKB' },
  { name: 'VAQTA', cvx: '83', mvx: 'MSD' },
  { name: 'HAVRIX', cvx: '52', mvx: 'SKB' },
  { name: 'GARDASIL 9', cvx: '165', mvx: 'MSD' },
  { name: 'CERVARIX', cvx: '118', mvx: 'SKB' },
  { name: 'MENVEO', cvx: '136', mvx: 'SKB' },
  { name: 'MENQUADFI', cvx: '203', mvx: 'PMC' },
  { name: 'TRUMENBA', cvx: '162', mvx: 'PFR' },
  { name: 'BEXSERO', cvx: '163', mvx: 'SKB' },
  { name: 'FLUZONE QUADRIVALENT', cvx: '150', mvx: 'PMC' },
  { name: 'FLUARIX QUADRIVALENT', cvx: '150', mvx: 'SKB' },
  { name: 'SHINGRIX', cvx: '187', mvx: 'SKB' },
];

/** NDC package codes (the manufacturers' own labels, from the NDC Directory). */
export const ndcCodes: readonly NdcRow[] = [
  { ndc: '00006-4093-01', cvx: '08', mvx: 'MSD', tradeName: 'RECOMBIVAX HB', dosesPerPackage: 10 },
  { ndc: '43528-0002-01', cvx: '189', mvx: 'DVX', tradeName: 'HEPLISAV-B', dosesPerPackage: 5 },
  { ndc: '49281-0286-01', cvx: '106', mvx: 'PMC', tradeName: 'DAPTACEL', dosesPerPackage: 10 },
  { ndc: '49281-0510-05', cvx: '120', mvx: 'PMC', tradeName: 'PENTACEL', dosesPerPackage: 5 },
  { ndc: '58160-0812-01', cvx: '130', mvx: 'SKB', tradeName: 'KINRIX', dosesPerPackage: 10 },
  { ndc: '63361-0243-10', cvx: '146', mvx: 'MSP', tradeName: 'VAXELIS', dosesPerPackage: 10 },
  { ndc: '58160-0842-01', cvx: '115', mvx: 'SKB', tradeName: 'BOOSTRIX', dosesPerPackage: 10 },
  { ndc: '49281-0400-05', cvx: '115', mvx: 'PMC', tradeName: 'ADACEL', dosesPerPackage: 5 },
  { ndc: '49281-0860-10', cvx: '10', mvx: 'PMC', tradeName: 'IPOL', dosesPerPackage: 10 },
  { ndc: '00006-4681-00', cvx: '03', mvx: 'MSD', tradeName: 'M-M-R II', dosesPerPackage: 10 },
  { ndc: '00006-4171-00', cvx: '94', mvx: 'MSD', tradeName: 'PROQUAD', dosesPerPackage: 10 },
  { ndc: '00006-4826-00', cvx: '21', mvx: 'MSD', tradeName: 'VARIVAX', dosesPerPackage: 10 },
  { ndc: '49281-0545-03', cvx: '48', mvx: 'PMC', tradeName: 'ACTHIB', dosesPerPackage: 5 },
  { ndc: '00006-4897-00', cvx: '49', mvx: 'MSD', tradeName: 'PEDVAXHIB', dosesPerPackage: 10 },
  { ndc: '00005-1971-01', cvx: '133', mvx: 'PFR', tradeName: 'PREVNAR 13', dosesPerPackage: 10 },
  { ndc: '00006-4329-01', cvx: '215', mvx: 'MSD', tradeName: 'VAXNEUVANCE', dosesPerPackage: 10 },
  { ndc: '00006-4047-01', cvx: '116', mvx: 'MSD', tradeName: 'ROTATEQ', dosesPerPackage: 10 },
  { ndc: '58160-0740-02', cvx: '119', mvx: 'SKB', tradeName: 'ROTARIX', dosesPerPackage: 10 },
  { ndc: '00006-4119-01', cvx: '165', mvx: 'MSD', tradeName: 'GARDASIL 9', dosesPerPackage: 10 },
  // Unit-of-use codes (one dose's package), as senders put them in RXA-5.
  { ndc: '00006-4047-20', cvx: '116', mvx: 'MSD', tradeName: 'ROTATEQ', dosesPerPackage: 1 },
  { ndc: '00006-4095-01', cvx: '83', mvx: 'MSD', tradeName: 'VAQTA', dosesPerPackage: 1 },
  { ndc: '00006-4681-01', cvx: '03', mvx: 'MSD', tradeName: 'M-M-R II', dosesPerPackage: 1 },
  { ndc: '49281-0215-88', cvx: '113', mvx: 'PMC', tradeName: 'TENIVAC', dosesPerPackage: 1 },
  { ndc: '49281-0560-05', cvx: '120', mvx: 'PMC', tradeName: 'PENTACEL', dosesPerPackage: 1 },
  { ndc: '58160-0806-01', cvx: '48', mvx: 'SKB', tradeName: 'HIBERIX', dosesPerPackage: 1 },
  { ndc: '58160-0830-05', cvx: '118', mvx: 'SKB', tradeName: 'CERVARIX', dosesPerPackage: 1 },
];

/** HL7 table 0163 (body site) and 0162 (route): what the immunization form offers. */
export const bodySites: Readonly<Record<string, string>> = {
  LA: 'Left arm', RA: 'Right arm', LD: 'Left deltoid', RD: 'Right deltoid', LT: 'Left thigh', RT: 'Right thigh', LVL: 'Left vastus lateralis', RVL: 'Right vastus lateralis', NS: 'Nose', MO: 'Mouth',
};
export const routes: Readonly<Record<string, string>> = { IM: 'Intramuscular', SC: 'Subcutaneous', ID: 'Intradermal', IN: 'Intranasal', PO: 'Oral' };
