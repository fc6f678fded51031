/**
 * The National Provider Identifier's check digit (CMS, "Requirements for NPI Check Digit"): the
 * Luhn formula over the first nine digits prefixed with 80840 (the card issuer prefix), which
 * comes to adding 24 to the Luhn sum of the nine digits.
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  return npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

export function npiCheckDigit(firstNine: string): number {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = Number(firstNine[8 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
