export interface Page<Node> {
  readonly nodes: readonly Node[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

/** A Relay connection as the GraphQL queries return it. */
interface Connection<Node> {
  readonly edges: ReadonlyArray<{ readonly node: Node }>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

export function pageOf<Node>(connection: Connection<Node>): Page<Node> {
  return {
    nodes: connection.edges.map((edge) => edge.node),
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

export interface PagesRead<Node> {
  readonly nodes: Node[];
  /** Where the next read should continue (`after`); the given start cursor when nothing new was read. */
  readonly endCursor: string | null;
  /** False when `maxPages` stopped the read before the last page. */
  readonly complete: boolean;
}

/**
 * Reads a Relay connection page after page from `after` until its end (or `maxPages`), reporting progress.
 * Cursors are stable on the server, so a later read can continue exactly where this one stopped.
 */
export async function readAllPages<Node>(
  fetchPage: (after: string | null) => Promise<Page<Node>>,
  options: { after?: string | null; maxPages?: number; onPage?: (nodesSoFar: number) => void } = {},
): Promise<PagesRead<Node>> {
  const nodes: Node[] = [];
  let cursor = options.after ?? null;
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await fetchPage(cursor);
    nodes.push(...page.nodes);
    cursor = page.endCursor ?? cursor;
    options.onPage?.(nodes.length);
    if (!page.hasNextPage) return { nodes, endCursor: cursor, complete: true };
  }
  return { nodes, endCursor: cursor, complete: false };
}

/**
 * A page of a plain list that takes `first`/`after` and gives each node its `cursor` (the fleet): a page as
 * long as asked for may have more after it; a shorter one is the last.
 */
export function listPage<Node extends { readonly cursor: string }>(nodes: readonly Node[], first: number): Page<Node> {
  return { nodes, hasNextPage: nodes.length >= first, endCursor: nodes.at(-1)?.cursor ?? null };
}
