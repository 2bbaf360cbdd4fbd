// Where the demo recording and its fixed root live (shared by make-recording and screenshots).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/tools/ (compiled) as from test/tools/. */
export const REPO = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));
export const DEMO_DIR = join(REPO, 'test', 'fixtures', 'recordings');
export const DEMO_RECORDING = join(DEMO_DIR, 'demo.ndjson');
/** Host name, kernel release and name tables for the replay (netdash --root). */
export const DEMO_ROOT = join(DEMO_DIR, 'demo-root');
export const DEMO_HOST = 'demo-server';
