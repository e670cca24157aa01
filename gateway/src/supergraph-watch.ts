import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import { logger } from '@mms/platform';

/**
 * The supergraph file, reloaded without a restart when it changes (`npm run compose`, a deploy copying a new file,
 * a ConfigMap update). The folder is watched rather than the file: writers replace the file by renaming a new one
 * over it, and a watch on the old file would see nothing after that. A file that does not parse or compose is
 * refused by the gateway and the previous supergraph keeps serving; the log says which.
 */
export function watchedSupergraph(file: string, debounceMs = 100): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = fs.readFileSync(file, 'utf8');
      let timer: NodeJS.Timeout | undefined;
      const reload = () => {
        let next: string;
        try {
          next = fs.readFileSync(file, 'utf8');
        } catch {
          return; // between an unlink and the rename that replaces it: the next event brings the new file
        }
        if (next === current || !next.trim()) return;
        try {
          update(next);
          current = next;
          logger.info({ file }, 'supergraph reloaded');
        } catch (error) {
          logger.error({ err: error, file }, 'supergraph refused; the previous one keeps serving');
        }
      };
      const watcher = fs.watch(path.dirname(file), (_event, name) => {
        if (name && name !== path.basename(file)) return;
        clearTimeout(timer);
        timer = setTimeout(reload, debounceMs);
      });
      return {
        supergraphSdl: current,
        cleanup: async () => { clearTimeout(timer); watcher.close(); },
      };
    },
  };
}
