export function cacheKey(salt: string, file: string, text: string): string;
