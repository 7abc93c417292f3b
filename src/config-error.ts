/**
 * A bad configuration value (an environment variable or a configuration file's field); the
 * message names it. Its own module so the CLI can recognise it without loading the parser.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
