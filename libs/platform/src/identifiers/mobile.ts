export const isMobile = (raw: string): boolean => /^1\d{10}$/.test(raw);
