export type { OfficialRecordClient, OfficialRecordDose, OfficialRecordInput, OfficialRecordRecommendation } from './official-record-input.js';
export { renderOfficialRecordPdf } from './render-official-record-pdf.js';
export { sampleRecord, sampleDoses } from './sample-record.js';
