/**
 * Query building: the filter builder, list/get parameters and RFC 3986 query serialisation.
 *
 * @module
 */
export { decodeRfc3986, encodeRfc3986 } from './encode';
export {
  type Filter,
  type FilterLogic,
  type FilterOperator,
  type FilterValue,
  filter,
  isFilter,
} from './filter';
export {
  type GetParams,
  type ListParams,
  toGetQueryParams,
  toQueryParams,
} from './list-params';
export { isValidFieldName } from './names';
export { serializeQuery } from './serialize';
