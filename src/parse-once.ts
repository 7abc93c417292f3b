/**
 * Parse options for a zod schema that a process parses once or a few times (the environment, a
 * configuration or ruleset file, a stdio message). zod compiles an object schema into a function
 * on its first parse: that pays off over many parses, and costs several times the parse itself
 * for one (the environment's schema: about 12 ms compiled against 5 ms without, at every start).
 */
export const PARSE_ONCE = { jitless: true } as const;
