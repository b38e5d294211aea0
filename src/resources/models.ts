/**
 * The record kinds resources return and the wrapper keys their responses use
 * (oneroster.md §2.1: `/schools` answers with `orgs`, `/terms` with `academicSessions`,
 * `/students` with `users`, and `/demographics/{id}` with `demographics` in both directions).
 *
 * @module
 */
import type { ModelKind } from '../models';

/** A record kind and its collection and single-object wrapper keys. */
export interface ModelSpec<K extends ModelKind> {
  readonly kind: K;
  /** Key of the array in a collection response, e.g. `users`. */
  readonly plural: string;
  /** Key of the object in a single-object response, e.g. `user`. */
  readonly singular: string;
}

/**
 * Every record kind with its wrapper keys.
 *
 * @example
 * ```ts
 * MODELS.classes.singular; // 'class'
 * ```
 */
export const MODELS: { readonly [K in ModelKind]: ModelSpec<K> } = Object.freeze({
  orgs: { kind: 'orgs', plural: 'orgs', singular: 'org' },
  academicSessions: {
    kind: 'academicSessions',
    plural: 'academicSessions',
    singular: 'academicSession',
  },
  courses: { kind: 'courses', plural: 'courses', singular: 'course' },
  classes: { kind: 'classes', plural: 'classes', singular: 'class' },
  users: { kind: 'users', plural: 'users', singular: 'user' },
  enrollments: { kind: 'enrollments', plural: 'enrollments', singular: 'enrollment' },
  demographics: { kind: 'demographics', plural: 'demographics', singular: 'demographics' },
});
