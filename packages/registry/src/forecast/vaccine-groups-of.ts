import { vaccineGroupData } from './supporting-data/index.js';
import type { VaccineGroup } from './types.js';

/** CVX codes are two digits or more with leading zeros ("08"); a record saying "8" means the same vaccine. */
export function normalizeCvx(cvx: string): string {
  const trimmed = cvx.trim();
  return /^\d$/.test(trimmed) ? `0${trimmed}` : trimmed;
}

/** Every CVX code any target dose of a group names, preferable, allowable or given by mistake. */
const groupsByCvx: ReadonlyMap<string, readonly VaccineGroup[]> = (() => {
  const groups = new Map<string, VaccineGroup[]>();
  for (const data of Object.values(vaccineGroupData)) {
    for (const series of data.series) {
      for (const dose of series.doses) {
        const codes = [...dose.preferableVaccines.map((v) => v.cvx), ...dose.allowableVaccines.map((v) => v.cvx), ...(dose.inadvertentVaccines ?? [])];
        for (const cvx of codes) {
          const known = groups.get(cvx) ?? [];
          if (!known.includes(data.vaccineGroup)) groups.set(cvx, [...known, data.vaccineGroup]);
        }
      }
    }
  }
  return groups;
})();

/** The vaccine groups a dose of this vaccine is evaluated in: Pediarix (110) gives DTaP, HepB and Polio. */
export function vaccineGroupsOf(cvx: string): VaccineGroup[] {
  return [...(groupsByCvx.get(normalizeCvx(cvx)) ?? [])];
}
