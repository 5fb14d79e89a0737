/**
 * 大字: the whole UI scaled for people who need bigger text (a choice kept on this device). The phone's
 * own font-size setting still applies on top (the page never fixes the text size against it). The scale
 * is CSS `zoom` on the root, so layout reflows at the larger size instead of running off the screen.
 */
export const TEXT_SIZES = [
  { value: 100, name: '标准' },
  { value: 150, name: '大字' },
  { value: 200, name: '特大字' },
] as const;
export type TextSize = (typeof TEXT_SIZES)[number]['value'];

const KEY = 'sangong.textSize';

export function savedTextSize(): TextSize {
  const v = Number(localStorage.getItem(KEY));
  return TEXT_SIZES.find((s) => s.value === v)?.value ?? 100;
}

export function applyTextSize(size: TextSize): void {
  const root = document.documentElement;
  for (const s of TEXT_SIZES) root.classList.toggle(`text-${s.value}`, s.value === size && size !== 100);
  if (size === 100) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, String(size));
}
