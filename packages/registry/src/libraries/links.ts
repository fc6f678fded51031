/** Where the menu bar's buttons go (seed 004: "the Forms button and the User Training button at the top"). */
export const programmeLinks = {
  forms: 'https://www.dshs.texas.gov/immunize/immtrac/forms.shtm',
  userTraining: 'https://www.dshs.texas.gov/immunize/immtrac/User-Training/',
  supportEmail: 'ImmTrac2@dshs.texas.gov',
  supportPhone: '1-800-348-9158',
} as const;
