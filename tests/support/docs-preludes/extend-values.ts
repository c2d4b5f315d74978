// Prelude of a snippet from a Session's extension step: the session id at hand and the session's duration.
export {};
declare const id: string;
declare const duration: number;
