// Prelude of a docs snippet that runs inside a request handler: the request being handled.
export {};
declare const request: Request;
