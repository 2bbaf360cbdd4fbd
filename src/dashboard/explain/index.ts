// Plain-English explanations for the detail view: counters (from the catalog), columns,
// socket states, addresses and netstat concepts.
export type { Explanation } from '../../catalog/index.js';
export { icmpTypeName } from '../../catalog/index.js';
export { explainAddress } from '../../names/address-kinds.js';
export { wrap } from '../../text/wrap.js';
export { explainColumn, type Pane } from './columns.js';
export { CONCEPT_KEYS, explainConcept } from './concepts.js';
export { explainCounter } from './counters.js';
export { explainState } from './states.js';
