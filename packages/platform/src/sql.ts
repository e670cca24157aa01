import { conflict } from './errors';

/** Escapes LIKE wildcards so that user text is matched literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Turns a unique-constraint violation that slipped past a check (two concurrent writers) into the same CONFLICT the
 * check would have given; `messages` maps constraint names to what the client is told.
 */
export async function translateUniqueViolation<T>(work: () => Promise<T>, messages: Record<string, [string, string]>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint && messages[e.constraint]) {
      const [message, field] = messages[e.constraint];
      throw conflict(message, field);
    }
    throw error;
  }
}
