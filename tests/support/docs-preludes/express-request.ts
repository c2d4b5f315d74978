// Prelude of a docs snippet that runs inside an Express route, after sessionMiddleware: the route's request.
import type { ExpressAdapterOptions as PreludeExpressRequestOptions } from 'sessionlab/express';
declare const req: import('express').Request;
