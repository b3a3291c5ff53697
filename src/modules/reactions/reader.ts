// Who reacts: an account or an anonymous browser, never both. Its own file
// so that the service and the batch writer both use it without importing each other.
export type Reader = { userId: number; anonId?: undefined } | { anonId: string; userId?: undefined };
