// The Official Immunization Record: the same content as a PDF and as a print page (README.md).
export type { OfficialRecordClient, OfficialRecordDose, OfficialRecordInput, OfficialRecordRecommendation } from './official-record-input.js';
export { renderOfficialRecordPdf } from './render-official-record-pdf.js';
export {
  officialRecordCss,
  officialRecordHtml,
  officialRecordStaticDir,
  officialRecordStaticPath,
  type OfficialRecordHtmlOptions,
} from './official-record-html.js';
export { sampleDoses, sampleRecord } from './sample-record.js';
