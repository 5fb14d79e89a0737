/**
 * The stylesheet of the printed notices (the resolution notice, the meeting notice): a file that imports
 * nothing, so the pure page renderers can use it; exported so the UI's Content-Security-Policy can allow it by hash.
 */
export const NOTICE_PRINT_STYLE = `
  @page { size: A4; margin: 25mm 20mm; }
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
  h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 20pt; text-align: center; margin: 0 0 8mm; }
  .kind { text-align: center; font-size: 12pt; margin-bottom: 6mm; }
  p { text-indent: 2em; margin: 0 0 3mm; }
  table.tally { border-collapse: collapse; margin: 6mm auto; width: 80%; }
  table.tally th, table.tally td { border: 1px solid #000; padding: 2mm 4mm; text-align: left; font-size: 12pt; }
  .sign { text-align: right; margin-top: 15mm; }
  .period { font-size: 11pt; margin-top: 10mm; border-top: 1px solid #000; padding-top: 3mm; }
`;
