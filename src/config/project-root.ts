import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding Tally's package.json, whether running from src/ (ts) or dist/ (compiled). */
export function projectRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
