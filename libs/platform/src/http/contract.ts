/**
 * The API's contract as data: each lib's routes.ts maps "METHOD /path/:param" to the types of its
 * answer, query and body, built from its views.ts. The server's controllers declare their answers
 * from it (`AnswerOf`), the web's client is typed by it (apps/web/src/api/client.ts), and an e2e test
 * checks that the maps and the routes Nest serves are the same set. Pure types and one no-op
 * function: the web imports this file, so it imports nothing.
 */

export interface Page<T> {
  items: T[];
  /** How many match; with totalCapped, at least this many (counting stopped there). */
  total: number;
  page: number;
  pageSize: number;
  /** Set where a list stops counting (the audit log's tens of millions of rows): there are more than `total`. */
  totalCapped?: true;
}

/** A route that answers a file (Excel, CSV, a printable page): the web downloads it. */
export interface FileAnswer {
  readonly file: true;
}

/** An empty answer (204). */
export type NoContent = undefined;

/** One route's types; the fields exist only in the type system. */
export interface RouteSpec<Answer, Query = never, Body = never> {
  readonly answer?: Answer;
  readonly query?: Query;
  readonly body?: Body;
}

/** Declares a route's types in a routes.ts map. */
export const route = <Answer, Query = never, Body = never>(): RouteSpec<Answer, Query, Body> => ({});

export type RouteMap = Record<`${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`, RouteSpec<unknown, unknown, unknown>>;

export type AnswerOf<R> = R extends RouteSpec<infer A, unknown, unknown> ? A : never;
export type QueryOf<R> = R extends RouteSpec<unknown, infer Q, unknown> ? Q : never;
export type BodyOf<R> = R extends RouteSpec<unknown, unknown, infer B> ? B : never;
