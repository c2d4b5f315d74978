// Prelude of a docs snippet for a place where a Response cannot carry Set-Cookie: the application's own cookie jar.
export {};
declare const jar: { header(): string | null; store(setCookie: string): void };
