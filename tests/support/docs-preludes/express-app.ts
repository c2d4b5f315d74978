// Prelude of a docs snippet that adds to an Express app: the app, and the page's Session.
export {};
declare const app: import('express').Express;
declare const sessions: import('sessionlab').Session;
