// Prelude of the API reference's signature blocks: every name the package's entry points export, in scope, so a
// signature that names a type the package does not have fails to compile.
import {
  BaseSessionStore, MemoryStore, MemoryStoreError, STORE_ERROR_REASONS, Session, SessionConfigError, SessionEvents, SessionHandle,
  SessionStoreError, StoreError, describeError, requireFreshSignIn, systemClock,
  type Awaitable, type Clock, type CookieIssue, type CookieRejection, type DeviceDetails, type DeviceOptions, type DeviceSession,
  type FreshSignIn, type FreshnessSubject, type ISessionData, type JsonValue, type MemoryStoreOptions, type RandomSource,
  type SessionCookieOptions, type SessionData, type SessionEvent, type SessionEventOf, type SessionEventType, type SessionKey,
  type SessionOptions, type SessionRecord, type SessionRequest, type SessionSecret, type StoreErrorReason, type StoreFailure,
  type StoreMethod, type UnstampedSessionEvent,
} from 'sessionlab';
import {
  handleWithSession, storeUnavailable, withSession,
  type FetchAdapterOptions, type HandleOptions, type SessionContext, type SessionHandler, type SessionOutcome,
} from 'sessionlab/fetch';
import { sessionMiddleware, storeErrorHandler, type ExpressAdapterOptions } from 'sessionlab/express';
import {
  CheckFailure, ClockControl, callStore, canonicalJson, conformanceChecks, describeValue, expectAbsent, expectSame, isoWithOffset,
  patchDate, runChecks, runConformance, sampleRecord,
  type AnyStore, type Check, type CheckLevel, type CheckResult, type ClockControlOptions, type ConformanceCheck,
  type ConformanceCheckContext, type ConformanceOptions, type ConformanceResult, type RunChecksOptions,
} from 'sessionlab/conformance';
import { IndexedDBStore, IndexedDBStoreError, type IndexedDBStoreFailure, type IndexedDBStoreOptions } from 'sessionlab/indexeddb';
import { RedisStore, RedisStoreError, type RedisStoreClient, type RedisStoreOptions } from 'sessionlab/redis';
import { SqliteStore, SqliteStoreError, type SqliteStoreOptions } from 'sessionlab/sqlite';
import {
  POSTGRES_SCHEMA_VERSION, PostgresStore, PostgresStoreError, postgresMigrationSql,
  type PostgresMigration, type PostgresQueryResult, type PostgresQueryable, type PostgresStoreOptions, type PostgresTableOptions,
} from 'sessionlab/postgres';
import {
  ConnectStoreBridge, ConnectStoreError,
  type ConnectCallback, type ConnectSession, type ConnectStore, type ConnectStoreBridgeOptions, type ConnectStoreCleaning,
} from 'sessionlab/connect';
// sessionlab/express exports a sessionMiddleware too.
import { sessionMiddleware as honoSessionMiddleware, type HonoAdapterOptions, type SessionEnv, type SessionVariables } from 'sessionlab/hono';
import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorRequestHandler, RequestHandler } from 'express';
