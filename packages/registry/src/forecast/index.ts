/**
 * The immunization forecast ("vaccines recommended by the selected tracking schedule"), after
 * CDC's CDSi logic specification and supporting data. See docs/forecast.md.
 */
export type { DoseEvaluation, DoseGiven, DoseStatus, GroupForecast, PatientHistory, SeriesStatus, VaccineGroup } from './types.js';
export { forecast, forecastGroups } from './forecast.js';
export { vaccineGroupsOf } from './vaccine-groups-of.js';
export { dueStatus, type DueStatus } from './due-status.js';
export { supportingDataVersion } from './supporting-data/index.js';
