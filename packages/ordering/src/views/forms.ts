// Labelled fields with their errors tied to them: rp-kit's, the same in every app.
export { textField, selectField } from '@portal/rp-kit';
