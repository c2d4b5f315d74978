// Prelude of a docs snippet that passes the secret the page read before (see "Create a session").
export {};
declare const secret: string;
