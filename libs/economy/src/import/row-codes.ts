/**
 * The import's own row-error codes: one meaning each, stable (the web and people's notes refer to
 * them). A row may also carry a domain code of EconomyErrorCode (a credit code's checksum, a locked
 * year, a shareholder outside the area…), raised by the same rules the forms use.
 */
export const ImportRowCode = {
  /** A required column's header is not in the sheet. */
  columnMissing: 'COLUMN_MISSING',
  /** A required cell is empty (or a holder's name or code that its kind requires). */
  valueRequired: 'VALUE_REQUIRED',
  integerInvalid: 'INTEGER_INVALID',
  amountInvalid: 'AMOUNT_INVALID',
  percentInvalid: 'PERCENT_INVALID',
  dateInvalid: 'DATE_INVALID',
  textInvalid: 'TEXT_INVALID',
  yearInvalid: 'YEAR_INVALID',
  levelInvalid: 'LEVEL_INVALID',
  statusInvalid: 'STATUS_INVALID',
  holderKindInvalid: 'HOLDER_KIND_INVALID',
  /** The same natural key twice in one file: reported on the second row. */
  duplicateInFile: 'DUPLICATE_IN_FILE',
  amountNegative: 'AMOUNT_NEGATIVE',
  /** No organization with this credit code, neither stored nor in the file. */
  orgUnknown: 'ORG_UNKNOWN',
  companyUnknown: 'COMPANY_UNKNOWN',
  /** Dividends for a company year with no revenue and profit, stored or in the file. */
  figuresMissing: 'FIGURES_MISSING',
} as const;
export type ImportRowCode = (typeof ImportRowCode)[keyof typeof ImportRowCode];
