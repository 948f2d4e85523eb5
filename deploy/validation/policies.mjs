// Janela's production policies, checked on every rendered overlay. Each rule says why it exists.

import fs from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
const repositoryRoot = path.resolve(here, "..", "..");
const contractSources = path.join(repositoryRoot, "schemas", "src", "main", "java", "io", "janela", "contract");

export function checkPolicies(overlay, objects, report) {
  const workloads = objects.filter(
    (o) => ["Deployment", "StatefulSet"].includes(o.kind) && o.metadata?.labels?.["app.kubernetes.io/part-of"] === "janela",
  );
  if (workloads.length === 0) report(overlay, "renders no Janela workload");
  for (const workload of workloads) {
    const where = `${overlay} ${workload.kind}/${workload.metadata.name}`;
    checkPod(where, workload.spec.template, report);
    checkClassDataArchive(where, workload, report);
    checkDisruptionBudget(where, workload, objects, report);
    for (const kind of ["PodDisruptionBudget", "NetworkPolicy"]) {
      if (!objects.some((o) => o.kind === kind && selects(o.spec?.selector ?? o.spec?.podSelector, workload))) {
        report(where, `no ${kind} selects its pods`);
      }
    }
    if (!objects.some((o) => ["PodMonitor", "ServiceMonitor"].includes(o.kind) && selects(o.spec?.selector, workload))) {
      report(where, "no PodMonitor or ServiceMonitor scrapes it");
    }
  }
  // Secrets are referenced by workloads and created by the operator (or an external secrets manager), never rendered
  // from the repository with values in them.
  for (const secret of objects.filter((o) => o.kind === "Secret")) {
    if (secret.data || secret.stringData) {
      report(`${overlay} Secret/${secret.metadata.name}`, "carries values; secrets are referenced, never filled in");
    }
  }
  checkTopics(overlay, objects, report);
  checkEveryServiceDeployed(overlay, workloads, report);
  checkContractRegistration(overlay, workloads, objects, report);
  checkKafkaAccess(overlay, workloads, objects, report);
  checkAutoscaling(overlay, workloads, objects, report);
}

// A class-data archive (deploy/README.md, "JVM start") is written when the JVM exits cleanly and mapped at its next
// start: on the read-only root filesystem it cannot be written, and on an emptyDir it is lost with the pod, the one
// time it would have been read. So it must be on a volume of the StatefulSet's volumeClaimTemplates.
function checkClassDataArchive(where, workload, report) {
  const persistent = new Set((workload.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name));
  for (const container of workload.spec.template.spec.containers ?? []) {
    for (const variable of container.env ?? []) {
      const archive = /-XX:SharedArchiveFile=(\S+)/.exec(variable.value ?? "")?.[1];
      if (!archive) continue;
      const mount = (container.volumeMounts ?? []).find((m) => archive.startsWith(m.mountPath.replace(/\/*$/, "/")));
      if (!mount || !persistent.has(mount.name)) {
        report(
          `${where} container ${container.name}`,
          `${variable.name}: class-data archive ${archive} is not on a volume of volumeClaimTemplates (lost with the pod or not writable)`,
        );
      }
    }
  }
}

// A budget that allows no eviction blocks node drains and cluster upgrades for good.
function checkDisruptionBudget(where, workload, objects, report) {
  const replicas = workload.spec.replicas ?? 1;
  for (const budget of objects.filter((o) => o.kind === "PodDisruptionBudget" && selects(o.spec?.selector, workload))) {
    const { minAvailable, maxUnavailable } = budget.spec;
    if (maxUnavailable === 0 || maxUnavailable === "0%" || (Number.isInteger(minAvailable) && minAvailable >= replicas)) {
      report(where, `PodDisruptionBudget ${budget.metadata.name} allows no eviction with ${replicas} replica(s)`);
    }
  }
}

// Kafka Streams applications scale by partitions, deliberately (deploy/README.md, "Scaling"): an autoscaler would
// move tasks and their state in the middle of the backlog that made it scale.
function checkAutoscaling(overlay, workloads, objects, report) {
  const configMaps = new Map(objects.filter((o) => o.kind === "ConfigMap").map((c) => [c.metadata.name, c]));
  for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const target = workloads.find(
      (w) => w.kind === hpa.spec.scaleTargetRef?.kind && w.metadata.name === hpa.spec.scaleTargetRef?.name,
    );
    if (!target) {
      report(`${overlay} HorizontalPodAutoscaler/${hpa.metadata.name}`, "scales no workload of this overlay");
      continue;
    }
    const streams = (target.spec.template.spec.containers ?? []).some((container) =>
      (container.envFrom ?? []).some((source) => configMaps.get(source.configMapRef?.name)?.data?.SPRING_KAFKA_STREAMS_APPLICATIONID),
    );
    if (streams) {
      report(`${overlay} HorizontalPodAutoscaler/${hpa.metadata.name}`, `autoscales ${target.metadata.name}, a Kafka Streams application`);
    }
  }
}

function checkPod(where, template, report) {
  const pod = template.spec;
  checkPodSecurity(where, pod, report);
  if (!(pod.topologySpreadConstraints?.length > 0)) report(where, "has no topologySpreadConstraints");
  // Kafka Streams needs time to commit, flush RocksDB and leave its group; producers to flush.
  if ((pod.terminationGracePeriodSeconds ?? 30) < 60) report(where, "terminationGracePeriodSeconds must be >= 60");
  for (const container of pod.containers ?? []) {
    const at = `${where} container ${container.name}`;
    expectProbe(at, container.livenessProbe, "/actuator/health/liveness", "livenessProbe", report);
    expectProbe(at, container.readinessProbe, "/actuator/health/readiness", "readinessProbe", report);
    expectProbe(at, container.startupProbe, "/actuator/health/liveness", "startupProbe", report);
  }
}

// What every pod of Janela's, a service's or a Job's, and each of its containers and init containers, must be.
function checkPodSecurity(where, pod, report) {
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) report(where, "pod securityContext.runAsNonRoot must be true");
  if (podSecurity.seccompProfile?.type !== "RuntimeDefault") report(where, "pod seccompProfile must be RuntimeDefault");
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const at = `${where} container ${container.name}`;
    const security = container.securityContext ?? {};
    if (security.allowPrivilegeEscalation !== false) report(at, "allowPrivilegeEscalation must be false");
    if (security.readOnlyRootFilesystem !== true) report(at, "readOnlyRootFilesystem must be true");
    if (!security.capabilities?.drop?.includes("ALL")) report(at, "must drop ALL capabilities");
    if (!container.resources?.requests?.cpu || !container.resources?.requests?.memory) {
      report(at, "needs cpu and memory requests");
    }
    if (!container.resources?.limits?.memory) report(at, "needs a memory limit");
    if (/:latest$/.test(container.image ?? "") || !/[:@]/.test(container.image ?? "")) {
      report(at, `image ${container.image} has no pinned tag`);
    }
    for (const variable of container.env ?? []) {
      // A path to a mounted secret (…_DIR, …_FILE) is not one.
      const secretLike = /SECRET|TOKEN|PASSWORD|JAAS|BASIC_AUTH|USER_INFO/i.test(variable.name) && !/_(DIR|FILE|PATH)$/i.test(variable.name);
      if (secretLike && variable.value !== undefined) {
        report(at, `${variable.name} is a literal; take it from a Secret`);
      }
    }
  }
}

// The contract is registered before the services run (deploy/README.md, "Registering the contract"): a Job runs the
// registrar's `register`, bounded (backoffLimit, activeDeadlineSeconds) and removed once finished
// (ttlSecondsAfterFinished), against the registry the services use (SCHEMA_REGISTRY_URL of janela-kafka-client) with
// credentials from a Secret; and every service waits for it with an init container running the same image's
// `verify --wait`. Without that wait, a service could start, auto-register its own schemas first, and the company's
// producers would meet a registry the contract's Job did not set up.
function checkContractRegistration(overlay, workloads, objects, report) {
  const registrations = objects.filter(
    (o) =>
      o.kind === "Job" &&
      (o.spec?.template?.spec?.containers ?? []).some((container) => container.args?.[0] === "register"),
  );
  if (registrations.length !== 1) {
    report(overlay, `renders ${registrations.length} Jobs that register the contract (the registrar's register); expected one`);
    return;
  }
  const job = registrations[0];
  const where = `${overlay} Job/${job.metadata.name}`;
  const spec = job.spec;
  const pod = spec.template.spec;
  checkPodSecurity(where, pod, report);
  if (!(Number.isInteger(spec.backoffLimit) && spec.backoffLimit >= 1)) {
    report(where, "needs a backoffLimit of at least 1 (the registry may come up after it)");
  }
  if (!Number.isInteger(spec.activeDeadlineSeconds)) report(where, "needs an activeDeadlineSeconds");
  if (!Number.isInteger(spec.ttlSecondsAfterFinished)) {
    report(where, "needs a ttlSecondsAfterFinished (a finished Job left in place blocks the next version's)");
  }
  if (!["Never", "OnFailure"].includes(pod.restartPolicy)) report(where, "restartPolicy must be Never or OnFailure");
  if (!objects.some((o) => o.kind === "NetworkPolicy" && selects(o.spec?.podSelector, job))) {
    report(where, "no NetworkPolicy selects its pods");
  }
  const registrar = pod.containers.find((container) => container.args?.[0] === "register");
  checkRegistryAccess(`${where} container ${registrar.name}`, registrar, report);
  for (const workload of workloads) {
    const at = `${overlay} ${workload.kind}/${workload.metadata.name}`;
    const wait = (workload.spec.template.spec.initContainers ?? []).find(
      (container) => container.args?.[0] === "verify" && container.args.includes("--wait"),
    );
    if (!wait) {
      report(at, "has no init container waiting for the contract's registration (the registrar's verify --wait)");
      continue;
    }
    if (wait.image !== registrar.image) {
      report(at, `waits for the contract with ${wait.image}, registered by ${registrar.image}: the same image must do both`);
    }
    checkRegistryAccess(`${at} container ${wait.name}`, wait, report);
  }
}

function checkRegistryAccess(where, container, report) {
  const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  const url = env.get("SCHEMA_REGISTRY_URL")?.valueFrom?.configMapKeyRef;
  if (url?.name !== "janela-kafka-client" || url?.key !== "SCHEMA_REGISTRY_URL") {
    report(where, "must take SCHEMA_REGISTRY_URL from ConfigMap janela-kafka-client, the registry the services use");
  }
  if (!env.get("SCHEMA_REGISTRY_BASIC_AUTH")?.valueFrom?.secretKeyRef) {
    report(where, "must take SCHEMA_REGISTRY_BASIC_AUTH from a Secret");
  }
}

function expectProbe(where, probe, path, name, report) {
  if (probe?.httpGet?.path !== path) report(where, `${name} must GET ${path}`);
}

function selects(selector, workload) {
  const labels = workload.spec.template.metadata?.labels ?? {};
  const wanted = selector?.matchLabels;
  if (!wanted || Object.keys(wanted).length === 0) return false;
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

// Every service module of the repository (a "-service" module that builds a container image: <jib.skip>false</jib.skip>
// in its pom; schemas' image is the registrar, run by the contract's Job) runs in every overlay, as a workload named
// after it: a service added to the build cannot be forgotten here.
function checkEveryServiceDeployed(overlay, workloads, report) {
  const names = new Set(workloads.map((w) => w.metadata.name));
  for (const module of serviceModules()) {
    if (!names.has(module)) report(overlay, `renders no Deployment or StatefulSet for service module ${module}`);
  }
}

function serviceModules() {
  const rootPom = fs.readFileSync(path.join(repositoryRoot, "pom.xml"), "utf8");
  return [...rootPom.matchAll(/<module>([^<]+)<\/module>/g)]
    .map((match) => match[1].trim())
    .filter((module) => {
      if (!module.endsWith("-service")) return false;
      const pom = path.join(repositoryRoot, module, "pom.xml");
      return fs.existsSync(pom) && /<jib\.skip>\s*false\s*<\/jib\.skip>/.test(fs.readFileSync(pom, "utf8"));
    });
}

// Every topic of the contract has a KafkaTopic wherever the overlay manages topics. The names are read from the
// contract's own source (TopicNames' defaults), so that a topic added there cannot be forgotten here.
function checkTopics(overlay, objects, report) {
  const managed = objects.filter((o) => o.kind === "KafkaTopic");
  if (managed.length === 0) return;
  const names = new Set(managed.map((o) => o.spec?.topicName ?? o.metadata.name));
  for (const topic of contractTopics().values()) {
    if (!names.has(topic)) report(overlay, `no KafkaTopic for contract topic ${topic}`);
  }
  // The topics the contract has the broker stamp (TopicDescriptor#logAppendTime: written by company systems).
  for (const topic of brokerStampedTopics()) {
    const kafkaTopic = managed.find((o) => (o.spec?.topicName ?? o.metadata.name) === topic);
    if (kafkaTopic && kafkaTopic.spec?.config?.["message.timestamp.type"] !== "LogAppendTime") {
      report(overlay, `KafkaTopic ${topic} needs message.timestamp.type: LogAppendTime (written by company systems)`);
    }
  }
}

// TopicNames' defaults by field name (outboundRequests -> whatsapp.outbound-requests).
function contractTopics() {
  const source = fs.readFileSync(path.join(contractSources, "TopicNames.java"), "utf8");
  return new Map([...source.matchAll(/orDefault\((\w+), "([^"]+)"\)/g)].map((match) => [match[1], match[2]]));
}

// The descriptors JanelaTopics builds with logAppendTime true: `new TopicDescriptor<>(names.x(), ..., compacted, true)`.
function brokerStampedTopics() {
  const source = fs.readFileSync(path.join(contractSources, "JanelaTopics.java"), "utf8");
  const names = contractTopics();
  return [...source.matchAll(/new TopicDescriptor<>\(\s*names\.(\w+)\(\)[^;]*?,\s*(?:true|false),\s*true\s*\);/g)].map(
    (match) => names.get(match[1]),
  );
}


// Where the overlay renders KafkaUsers, each workload's SASL credentials come from the Secret of one of them, and that
// user's ACLs cover the Kafka Streams application id pinned in the workload's ConfigMaps: its group, its transactional
// ids and its internal topics. An application id changed on one side only would fail at start with authorization
// errors; here it fails the build.
function checkKafkaAccess(overlay, workloads, objects, report) {
  const users = new Map(objects.filter((o) => o.kind === "KafkaUser").map((u) => [u.metadata.name, u]));
  if (users.size === 0) return;
  const configMaps = new Map(objects.filter((o) => o.kind === "ConfigMap").map((c) => [c.metadata.name, c]));
  for (const workload of workloads) {
    const where = `${overlay} ${workload.kind}/${workload.metadata.name}`;
    for (const container of workload.spec.template.spec.containers ?? []) {
      const jaas = (container.env ?? []).find((e) => e.name === "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
      const user = users.get(jaas?.valueFrom?.secretKeyRef?.name);
      if (!user) {
        report(where, "takes no SASL JAAS configuration from the Secret of a KafkaUser of this overlay");
        continue;
      }
      const settings = Object.assign(
        {},
        ...(container.envFrom ?? []).map((source) => configMaps.get(source.configMapRef?.name)?.data ?? {}),
      );
      const applicationId = settings.SPRING_KAFKA_STREAMS_APPLICATIONID;
      if (!applicationId) continue;
      const acls = user.spec?.authorization?.acls ?? [];
      const covers = (type, name, operation) =>
        acls.some(
          (acl) =>
            acl.resource?.type === type &&
            (acl.resource.patternType === "prefix" ? name.startsWith(acl.resource.name) : name === acl.resource.name) &&
            (acl.operations ?? []).some((op) => op === operation || op === "All"),
        );
      const needs = [
        ["group", applicationId, "Read"],
        ["transactionalId", `${applicationId}-0a1b2c3d-StreamThread-1`, "Write"],
        ["topic", `${applicationId}-some-store-changelog`, "Create"],
      ];
      for (const [type, name, operation] of needs) {
        if (!covers(type, name, operation)) {
          report(where, `KafkaUser ${user.metadata.name} does not allow ${operation} on ${type} ${name} (application id ${applicationId})`);
        }
      }
    }
  }
}
