// Prelude of a docs snippet that runs inside a request handler, with this request's session loaded.
export {};
declare const handle: import('sessionlab').SessionHandle;
