import { parser } from '@prometheus-io/lezer-promql';

/** Sloth's only template variable. Spaces inside the braces are allowed, as in Go templates. */
export const WINDOW_TEMPLATE = /\{\{\s*\.window\s*\}\}/g;

export function hasWindowTemplate(query: string): boolean {
  return new RegExp(WINDOW_TEMPLATE.source).test(query);
}

export function renderWindow(query: string, window: string): string {
  return query.replace(WINDOW_TEMPLATE, window);
}

/**
 * Returns a human-readable syntax error for `expr`, or undefined when it parses.
 * lezer recovers from errors by inserting error nodes, so any error node means invalid input.
 */
export function promqlSyntaxError(expr: string): string | undefined {
  const tree = parser.parse(expr);
  let at: number | undefined;
  tree.iterate({
    enter(node) {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  if (at === undefined) {
    if (/\{\{|\}\}/.test(expr)) return 'unknown template variable (only {{.window}} is supported)';
    return undefined;
  }
  const near = expr.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, ' ');
  return `PromQL syntax error at offset ${at} near "${near}"`;
}
