/**
 * Types for `fields` projections: with `fields: ['sourcedId', 'givenName']` the server returns
 * only those fields, so the records are typed with only those fields.
 *
 * @module
 */
import type { GetParams, ListParams } from '../query';

/** The declared property names of a record type, without its `[extra: string]` index signature. */
export type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/**
 * A record projected to the fields `F`: the known ones keep their types (and optionality); any
 * other requested field (a vendor extension) is `unknown`; fields not requested are absent.
 *
 * @example
 * ```ts
 * type Names = Projected<User, 'sourcedId' | 'givenName' | 'x_grade'>;
 * // { sourcedId: string; givenName: string } & { x_grade: unknown }
 * ```
 */
export type Projected<T, F extends string> = Pick<T, Extract<F, KnownKeys<T>>> &
  Record<Exclude<F, KnownKeys<T>>, unknown>;

/**
 * The record type a call returns: {@link Projected} when `params.fields` is a literal list,
 * else the full record type (a `fields` string or a list typed `string[]` cannot be narrowed).
 *
 * @example
 * ```ts
 * const page = await client.users.list({ fields: ['sourcedId', 'email'] });
 * page.items[0]?.email; // string | undefined
 * ```
 */
export type Selected<T, P extends ListParams | GetParams | undefined> = P extends {
  fields: readonly (infer F extends string)[];
}
  ? string extends F
    ? T
    : Projected<T, F>
  : T;
