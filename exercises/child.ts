// exercises/child.ts: the process a check runs in when a per-case time limit is wanted (see engine.ts).
import { serveChild } from './engine.js';

void serveChild();
