// Prelude of a docs snippet: the Session the page created before, `const sessions = new Session({ ... })`.
export {};
declare const sessions: import('sessionlab').Session;
