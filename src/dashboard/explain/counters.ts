// Counter explanations come from the catalog; the dashboard adds the socket state text to the
// per-state gauges (state texts live with the other dashboard explanations).
import { counterExplanation, counterFact, type Explanation } from '../../catalog/index.js';
import { explainState } from './states.js';

export function explainCounter(key: string): Explanation | null {
  const k = key.trim();
  const m = /^gauge\.tcp\.([A-Z0-9_]+)$/.exec(k);
  if (m) {
    const st = explainState(m[1] ?? '');
    const f = counterFact(k);
    if (!st || !f) return null;
    return st.whenRising === undefined
      ? { title: f.title, meaning: `${f.meaning} ${st.meaning}` }
      : { title: f.title, meaning: `${f.meaning} ${st.meaning}`, whenRising: st.whenRising };
  }
  return counterExplanation(k);
}
