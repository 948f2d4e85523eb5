// PromQL checks on the expressions of alert rules and dashboards, with Prometheus' own parser (lezer-promql).

import { parser } from "@prometheus-io/lezer-promql";

// Grafana replaces these before the query reaches Prometheus; give the parser something of the same shape.
const GRAFANA_VARIABLES = [
  [/\$__rate_interval|\$__interval|\$__range/g, "5m"],
  [/\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?/g, "x"],
];

function prepare(expression) {
  return GRAFANA_VARIABLES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), expression);
}

/** Where the expression does not parse, as "position N" strings; empty when it parses. */
export function promqlErrors(expression) {
  const text = prepare(expression);
  const errors = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`position ${node.from}`);
    },
  });
  return errors;
}

/** The metric names the expression selects ({__name__=...} matchers included). */
export function metricNamesIn(expression) {
  const text = prepare(expression);
  const names = new Set();
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.name === "VectorSelector") {
        const identifier = node.node.getChild("Identifier");
        if (identifier) names.add(text.slice(identifier.from, identifier.to));
        const selector = text.slice(node.from, node.to);
        const byName = selector.match(/__name__\s*=\s*"([^"]+)"/);
        if (byName) names.add(byName[1]);
      }
    },
  });
  return names;
}
