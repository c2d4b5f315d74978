// Prelude of a docs snippet that works on a store under test (any store: the snippet only calls its methods).
export {};
declare const store: import('sessionlab').BaseSessionStore;
