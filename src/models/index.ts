/**
 * Record models: zod schemas for OneRoster 1.1 and 1.2, normalisation to one shape, and wire
 * rendering. See `./README.md` for the tolerance rules.
 *
 * @module
 */

export {
  normalizeDate,
  normalizeDateTime,
  parseBoolean,
} from './coerce';
export type { NormalizedRef, RefType, WireBoolean, WireRef } from './fields';
export { type ModelKind, type ParseOptions, type ParseResult, parseRecord } from './parse';
export { rawRecord } from './raw';
export * from './types';
export * as v1p1 from './v1p1';
export * as v1p2 from './v1p2';
export { type ToWireOptions, toWire } from './wire';
