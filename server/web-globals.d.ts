// The web-standard globals every JavaScript host has (Node, browsers, workers) that the server core may use.
// server/tsconfig.json has no Node types (and no DOM): this names them, and only them.

/** WHATWG URL (the part the core uses: schema/cel.ts parses CEL url() arguments). */
declare class URL {
  constructor(url: string, base?: string | URL);
  static canParse(url: string, base?: string | URL): boolean;
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  username: string;
  toString(): string;
  toJSON(): string;
}
