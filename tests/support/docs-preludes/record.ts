// Prelude of a docs snippet that writes a record it got before (from sampleRecord(), or from a Session).
export {};
declare const record: import('sessionlab').SessionRecord;
