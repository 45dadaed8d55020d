/**
 * `npm run bench:load`: sustained open-loop intake over HTTP at rising rates (package-2 critical alerts, in service,
 * first escalation page by SMS), then the worker's memory with many alerts waiting for support hours; first of all, memory
 * per cached workflow against the same trivial workflow in a minimal bundle (bench/cacheMemory.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { AlertStatus } from '../domain/alertLifecycle';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { alertStatusQuery } from '../workflows/messages';
import { startPhoneProviderServer } from '../test/notification/phoneProviderTestServer';
import { benignAlert, sampleAlert } from '../test/support/alerts';
import { startEngineProcess, type EngineProcess } from '../test/support/engineProcess';
import { alwaysInService } from '../test/support/testEngine';
import { testTemporal } from '../test/support/testEnv';
import { percentile, startBenchServer, startListeningEngine, type ListeningEngine } from './benchEngine';
import { CACHE_VARIANTS, measureCacheMemory, type CacheMemory } from './cacheMemory';

const REPO = resolve(__dirname, '..');
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const RATES = (process.env.BENCH_RATES ?? (QUICK ? '5,20' : '2,5,10,15,20,40,80')).split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? (QUICK ? 10 : 60));
const WAITING = Number(process.env.BENCH_WAITING ?? (QUICK ? 500 : 10_000));
const CLASSIFIED_P99_BOUND_MS = Number(process.env.BENCH_P99_BOUND_MS ?? 5_000);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 120);
/** How long the waiting part waits for every alert to reach the support-hours timer. */
const WAIT_MINUTES = Number(process.env.BENCH_WAIT_MINUTES ?? 15);
/** The waiting part's worker cache (`maxCachedWorkflows`); unset: the SDK default for this heap. */
const MAX_CACHED = process.env.BENCH_MAX_CACHED_WORKFLOWS ? Number(process.env.BENCH_MAX_CACHED_WORKFLOWS) : undefined;
/** `waiting`: only the waiting part, no rising rates; `cache`: only the memory per cached workflow against the minimal bundle. */
const WAITING_ONLY = process.env.BENCH_PARTS === 'waiting';
const CACHE_ONLY = process.env.BENCH_PARTS === 'cache';
/**
 * `process`: the waiting part's worker is the production entry (engine/workerProcess.ts) in a process of its own, so
 * its RSS is the worker's alone (the API and the client stay in this process). The one-week service window reaches it
 * in each workflow's input (the API starts the workflows with the tenant's terms as this process adjusts them).
 */
const WORKER_PROCESS = process.env.BENCH_WAITING_WORKER === 'process';
/** With `BENCH_WAITING_WORKER=process`: `1` gives the worker the run's prebuilt bundle (SOAR_WORKFLOW_BUNDLE) instead of bundling at start. */
const PREBUILT_BUNDLE = process.env.BENCH_PREBUILT_BUNDLE === '1';
/** Workflows cached per variant in the memory-per-cached-workflow part. */
const CACHED = Number(process.env.BENCH_CACHED ?? (QUICK ? 200 : 1_000));
const TENANT = 'mueller-logistik';
const log = (line: string) => process.stderr.write(`[bench:load ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  sentAt: number;
  ackMs: number | null;
  status: number;
  alertId: string | null;
  classifiedMs?: number;
  notifiedMs?: number;
}

async function post(baseUrl: string, key: string, body: object): Promise<Sent> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${baseUrl}/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    const answer: unknown = await response.json().catch(() => null);
    const alertId = response.status === 202 && typeof answer === 'object' && answer !== null && 'alertId' in answer && typeof answer.alertId === 'string' ? answer.alertId : null;
    return { sentAt, ackMs: Date.now() - sentAt, status: response.status, alertId };
  } catch {
    return { sentAt, ackMs: null, status: 0, alertId: null };
  }
}

/** Open loop: request i leaves at start + i / rate whatever the answers to earlier ones. */
async function offer(rate: number, seconds: number, send: (i: number) => Promise<Sent>): Promise<Sent[]> {
  const count = Math.round(rate * seconds);
  const pending: Promise<Sent>[] = [];
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(i));
  }
  return Promise.all(pending);
}

/** Reads each accepted alert's status until it was classified and paged (workflow time stamps), or the drain ends. */
async function collect(le: ListeningEngine, sent: Sent[]): Promise<void> {
  const deadline = Date.now() + DRAIN_SECONDS * 1000;
  let open = sent.filter((s) => s.alertId !== null);
  while (open.length > 0 && Date.now() < deadline) {
    const still: Sent[] = [];
    for (let i = 0; i < open.length; i += 16) {
      await Promise.all(
        open.slice(i, i + 16).map(async (s) => {
          const status: AlertStatus = await le.engine.client.workflow.getHandle(s.alertId ?? '').query(alertStatusQuery);
          const classified = status.timeline.find((t) => t.kind === 'classified');
          const page = status.notifications.find((n) => n.delivered);
          if (classified) s.classifiedMs = Date.parse(classified.at) - s.sentAt;
          if (page) s.notifiedMs = Date.parse(page.at) - s.sentAt;
          if (!classified || !page) still.push(s);
        }),
      );
    }
    open = still;
    if (open.length > 0) await sleep(2_000);
  }
}

const pct = (values: number[]) => ({ n: values.length, p50: percentile(values, 50), p99: percentile(values, 99) });
const num = (values: (number | null | undefined)[]) => values.filter((v): v is number => typeof v === 'number');

async function loadSteps(phone: { baseUrl: string }) {
  const le = await startListeningEngine({
    notifications: { phoneBaseUrl: phone.baseUrl },
    policy: (p: TenantPolicy) => alwaysInService(p),
    // The per-key limit is a contract figure (3,000/min), not capacity; the in-flight cap stays at its default.
    hardening: { rateLimitPerMinute: 10_000_000 },
  });
  const key = le.engine.key('ingest', TENANT);
  const body = () => sampleAlert({ tenantId: TENANT, observedAt: new Date().toISOString() });

  log('warm-up: 20 alerts');
  await collect(le, await offer(5, 4, () => post(le.baseUrl, key, body())));
  log('baseline: 10 single alerts, one at a time, each until paged');
  const single: Sent[] = [];
  for (let i = 0; i < 10; i++) {
    const s = await post(le.baseUrl, key, body());
    await collect(le, [s]);
    single.push(s);
  }
  const severity = (await le.engine.client.workflow.getHandle(single[0]?.alertId ?? '').query(alertStatusQuery)).severity;
  const baseline = { alerts: single.length, severity, ack: pct(num(single.map((s) => s.ackMs))), classified: pct(num(single.map((s) => s.classifiedMs))), notified: pct(num(single.map((s) => s.notifiedMs))) };
  log(`baseline: ${JSON.stringify(baseline)}`);

  const steps = [];
  for (const rate of RATES) {
    log(`step ${rate} alerts/s for ${STEP_SECONDS} s (load ${loadavg()[0]?.toFixed(2)})`);
    const started = Date.now();
    const sent = await offer(rate, STEP_SECONDS, () => post(le.baseUrl, key, body()));
    const lastAnswer = Math.max(...sent.map((s) => s.sentAt + (s.ackMs ?? 0)));
    const accepted = sent.filter((s) => s.alertId !== null);
    await collect(le, sent);
    const refused: Record<string, number> = {};
    for (const s of sent) if (s.status !== 202) refused[String(s.status)] = (refused[String(s.status)] ?? 0) + 1;
    const step = {
      offeredPerSecond: rate,
      seconds: STEP_SECONDS,
      offered: sent.length,
      accepted: accepted.length,
      acknowledgedPerSecond: accepted.length / ((lastAnswer - started) / 1000),
      refused,
      ack: pct(num(sent.map((s) => s.ackMs))),
      classified: pct(num(accepted.map((s) => s.classifiedMs))),
      notified: pct(num(accepted.map((s) => s.notifiedMs))),
      notClassifiedInDrain: accepted.filter((s) => s.classifiedMs === undefined).length,
      notPagedInDrain: accepted.filter((s) => s.notifiedMs === undefined).length,
      held: false,
    };
    step.held = accepted.length >= 0.95 * sent.length && step.notClassifiedInDrain === 0 && step.classified.p99 <= CLASSIFIED_P99_BOUND_MS;
    log(`step ${rate}/s: ${JSON.stringify(step)}`);
    steps.push(step);
    if (!step.held) break;
  }
  await le.stop();
  return { baseline, steps };
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMiB: m.rss / 2 ** 20, heapUsedMiB: m.heapUsed / 2 ** 20 };
}

/**
 * Where the process's memory is: the V8 heaps of the main thread and of each worker thread (the SDK's workflow thread
 * holds the cached workflows), from Node's diagnostic report; RSS minus the heaps' committed memory is native (the
 * Temporal core's caches and buffers, the allocator's arenas, code).
 */
function heaps() {
  const mib = (bytes: number) => bytes / 2 ** 20;
  const report = process.report.getReport() as unknown as { javascriptHeap: { usedMemory: number; totalCommittedMemory: number }; workers: { javascriptHeap: { usedMemory: number; totalCommittedMemory: number } }[] };
  const threads = report.workers.map((w) => ({ usedMiB: mib(w.javascriptHeap.usedMemory), committedMiB: mib(w.javascriptHeap.totalCommittedMemory) }));
  const main = { usedMiB: mib(report.javascriptHeap.usedMemory), committedMiB: mib(report.javascriptHeap.totalCommittedMemory) };
  const rssMiB = mib(process.memoryUsage.rss());
  const committed = main.committedMiB + threads.reduce((sum, t) => sum + t.committedMiB, 0);
  return { rssMiB, main, threads, nativeMiB: rssMiB - committed };
}

const heapLine = (h: ReturnType<typeof heaps>) =>
  `RSS ${h.rssMiB.toFixed(0)} MiB = main heap ${h.main.usedMiB.toFixed(0)}/${h.main.committedMiB.toFixed(0)} + worker-thread heaps ${h.threads.map((t) => `${t.usedMiB.toFixed(0)}/${t.committedMiB.toFixed(0)}`).join(', ') || 'none'} (used/committed) + native ${h.nativeMiB.toFixed(0)} MiB`;

/** RSS now and the highest so far (VmHWM) of another process, from /proc. */
function processRss(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** The production worker entry on its own task queue, for the waiting part's API in this process. */
async function startWorkerProcess(): Promise<{ taskQueue: string; worker: EngineProcess; pid: number }> {
  const { address, namespace, payloadKeysFile, workDir, bundlePath } = testTemporal();
  const taskQueue = `bench-waiting-${randomUUID()}`;
  const worker = await startEngineProcess({
    entry: 'engine/workerProcess.ts',
    readyWhen: '"worker running"',
    readyTimeoutMs: 300_000,
    env: {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SOAR_DATA_DIR: mkdtempSync(join(workDir, 'bench-worker-')),
      SOAR_PAYLOAD_KEYS_FILE: payloadKeysFile,
      ...(PREBUILT_BUNDLE ? { SOAR_WORKFLOW_BUNDLE: bundlePath } : {}),
      ...(MAX_CACHED !== undefined ? { SOAR_WORKER_MAX_CACHED_WORKFLOWS: String(MAX_CACHED) } : {}),
    },
  });
  if (worker.pid === undefined) throw new Error('the worker process has no pid');
  log(`worker process ${worker.pid} on ${taskQueue}: ${/"maxCachedWorkflows":\d+/.exec(worker.output())?.[0] ?? 'cache size not logged'}`);
  return { taskQueue, worker, pid: worker.pid };
}

async function waitingForSupportHours() {
  const separate = WORKER_PROCESS ? await startWorkerProcess() : undefined;
  const le = await startListeningEngine({
    // Service opens in a week: every alert waits on a durable timer (awaitSupportHours).
    policy: (p: TenantPolicy) => ({ ...p, terms: { ...p.terms, windows: [{ from: new Date(Date.now() + 7 * 86_400_000).toISOString(), to: new Date(Date.now() + 8 * 86_400_000).toISOString() }] } }),
    hardening: { rateLimitPerMinute: 10_000_000 },
    maxCachedWorkflows: MAX_CACHED,
    ...(separate ? { externalWorker: { taskQueue: separate.taskQueue } } : {}),
  });
  const workerRss = () => (separate ? processRss(separate.pid) : undefined);
  const key = le.engine.key('ingest', TENANT);
  const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND AlertState = 'awaiting_support_hours' AND TaskQueue = '${le.engine.taskQueue}'`;
  await Promise.all(Array.from({ length: 10 }, () => post(le.baseUrl, key, benignAlert({ tenantId: TENANT, vendorSeverity: 'low' }))));
  await sleep(5_000);
  const before = memory();
  const workerBefore = workerRss();
  log(`memory before: ${JSON.stringify(before)}; ${heapLine(heaps())}; ${workerBefore ? `worker process RSS ${workerBefore.rssMiB.toFixed(0)} MiB; ` : ''}starting ${WAITING} waiting alerts`);
  // The goal is a ceiling, so the highest RSS while the alerts are worked counts, not only the figure at the end.
  let peakRssMiB = before.rssMiB;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, process.memoryUsage.rss() / 2 ** 20)), 1_000);
  const started = Date.now();
  let next = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < WAITING) {
        next++;
        const s = await post(le.baseUrl, key, benignAlert({ tenantId: TENANT, vendorSeverity: 'low' }));
        if (s.status !== 202) refused++;
      }
    }),
  );
  const startSeconds = (Date.now() - started) / 1000;
  log(`${WAITING} submitted in ${startSeconds.toFixed(0)} s (${refused} refused); waiting until all wait for support hours`);
  let waiting = 0;
  const deadline = Date.now() + WAIT_MINUTES * 60_000;
  while (Date.now() < deadline) {
    waiting = (await le.engine.client.workflow.count(query)).count;
    if (waiting >= WAITING + 10 - refused) break;
    if (Math.floor((Date.now() - started) / 5_000) % 12 === 0) log(`${waiting - 10} waiting (load ${loadavg()[0]?.toFixed(2)}; ${separate ? `worker process RSS ${JSON.stringify(workerRss())}` : heapLine(heaps())})`);
    await sleep(5_000);
  }
  const allWaitingSeconds = (Date.now() - started) / 1000;
  await sleep(5_000);
  clearInterval(sampler);
  const after = memory();
  const afterHeaps = heaps();
  const workerAfter = workerRss();
  peakRssMiB = Math.max(peakRssMiB, after.rssMiB);
  const cache = MAX_CACHED ?? Math.max(Math.floor((Math.max(getHeapStatistics().heap_size_limit / 2 ** 20 - 200, 0) * 600) / 1024), 10);
  log(`memory after: ${JSON.stringify(after)}; ${heapLine(afterHeaps)}; ${waiting} waiting`);
  await le.stop();
  await separate?.worker.stop();
  waiting -= 10; // the warm-up alerts
  return { submitted: WAITING, refused, startSeconds, allWaitingSeconds, waiting, before, after, afterHeaps, peakRssMiB, workerProcess: workerAfter ? { before: workerBefore, after: workerAfter } : undefined, perWaitingKiB: ((after.rssMiB - before.rssMiB) * 1024) / Math.max(waiting, 1), heapPerWaitingKiB: ((after.heapUsedMiB - before.heapUsedMiB) * 1024) / Math.max(waiting, 1), maxCachedWorkflows: cache };
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const server = await startBenchServer();
  const phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-bench', status: 'queued' }) });
  let load: Awaited<ReturnType<typeof loadSteps>> | undefined;
  let waiting;
  let cache: CacheMemory[] = [];
  try {
    // Memory per cached workflow first, each variant in a child process of its own (bench/cacheMemory.ts).
    const { address, namespace } = testTemporal();
    if (!WAITING_ONLY) {
      log(`memory per cached workflow: ${CACHED} workflows per variant (${CACHE_VARIANTS.join(', ')})`);
      cache = await measureCacheMemory(address, namespace, CACHED);
    }
    // Then, in this fresh process, its alerts then sleep on the server, on a task queue nobody polls any more.
    if (!CACHE_ONLY) waiting = await waitingForSupportHours();
    if (!WAITING_ONLY && !CACHE_ONLY) load = await loadSteps(phone);
  } finally {
    await phone.close();
    await server.stop();
  }
  const cpu = cpus();
  const machine = `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}`;
  const loadAfter = loadavg();
  const held = load?.steps.filter((s) => s.held).at(-1);
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
  const r = (n: number, d: number) => (Number.isFinite(n / d) ? (n / d).toFixed(1) : '-');
  const stepLines = (b: NonNullable<typeof load>['baseline'], steps: NonNullable<typeof load>['steps']) => [
    `Engine: ${TENANT} (package 2) critical alerts in service over HTTP; first escalation page by SMS to a local provider; steps of ${STEP_SECONDS} s; bound p99 intake-to-classified <= ${CLASSIFIED_P99_BOUND_MS} ms and >= 95 % accepted`,
    `Baseline (single alert at a time, same run, severity ${b.severity}): ack p50 ${f(b.ack.p50)} ms, classified p50 ${f(b.classified.p50)} ms, paged p50 ${f(b.notified.p50)} ms`,
    '',
    '| offered/s | accepted/s | accepted | HTTP ack p50 / p99 ms | intake-to-classified p50 / p99 ms (x baseline p50) | intake-to-paged p50 / p99 ms (x baseline p50) | held |',
    '|---|---|---|---|---|---|---|',
    ...steps.map(
      (s) =>
        `| ${s.offeredPerSecond} | ${s.acknowledgedPerSecond.toFixed(1)} | ${s.accepted}/${s.offered} | ${f(s.ack.p50)} / ${f(s.ack.p99)} | ${f(s.classified.p50)} / ${f(s.classified.p99)} (${r(s.classified.p50, b.classified.p50)} / ${r(s.classified.p99, b.classified.p50)}) | ${f(s.notified.p50)} / ${f(s.notified.p99)} (${r(s.notified.p50, b.notified.p50)} / ${r(s.notified.p99, b.notified.p50)}) | ${s.held ? 'yes' : 'no'} |`,
    ),
    '',
    `Highest rate held: ${held ? `${held.offeredPerSecond} alerts/s` : 'none'}`,
  ];
  const lines = [
    `Machine: ${machine}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
    ...(load ? stepLines(load.baseline, load.steps) : []),
    ...(cache.length > 0 ? cacheLines(cache) : []),
    ...(waiting ? [`Waiting for support hours: ${waiting.waiting} of ${waiting.submitted} (${waiting.refused} refused, started in ${waiting.startSeconds.toFixed(0)} s); process RSS (worker, API, client in one process) ${waiting.before.rssMiB.toFixed(0)} -> ${waiting.after.rssMiB.toFixed(0)} MiB, highest ${waiting.peakRssMiB.toFixed(0)} MiB sampled each second (${waiting.perWaitingKiB.toFixed(1)} KiB per waiting alert; at the end ${heapLine(waiting.afterHeaps)}), heap used ${waiting.before.heapUsedMiB.toFixed(0)} -> ${waiting.after.heapUsedMiB.toFixed(0)} MiB main-thread heap (${waiting.heapPerWaitingKiB.toFixed(1)} KiB each; workflows run in worker threads, counted in RSS only); maxCachedWorkflows ${waiting.maxCachedWorkflows} (${MAX_CACHED === undefined ? 'SDK default for this heap' : 'BENCH_MAX_CACHED_WORKFLOWS'}); all waiting ${waiting.allWaitingSeconds.toFixed(0)} s after the first was posted${waiting.workerProcess ? `; WORKER PROCESS alone (engine/workerProcess.ts, ${PREBUILT_BUNDLE ? 'prebuilt bundle' : 'bundling at start'}): RSS ${waiting.workerProcess.before?.rssMiB.toFixed(0)} -> ${waiting.workerProcess.after.rssMiB.toFixed(0)} MiB, highest ${waiting.workerProcess.after.peakMiB.toFixed(0)} MiB (VmHWM)` : ''}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const dir = join(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `load-${new Date().toISOString().replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, loadBefore, loadAfter, quick: QUICK, parts: process.env.BENCH_PARTS ?? 'all', rates: WAITING_ONLY || CACHE_ONLY ? [] : RATES, stepSeconds: STEP_SECONDS, boundMs: CLASSIFIED_P99_BOUND_MS, ...load, waiting, cache }, null, 2)}\n`);
  log(`result written to ${file}`);
}

function cacheLines(cache: CacheMemory[]): string[] {
  const minimal = cache.find((c) => c.variant === 'minimal')?.perWorkflowKiB ?? NaN;
  const minimalRss = cache.find((c) => c.variant === 'minimal')?.rssPerWorkflowKiB ?? NaN;
  return [
    '',
    `Memory per cached workflow (one worker per variant, its own process, workflows in its main thread; V8 heap used and RSS after gc() before and after ${cache[0]?.count ?? '?'} cached):`,
    '| variant | bundle KiB | heap before / after MiB | per cached workflow KiB (heap) | x minimal bundle | RSS before / after MiB | per cached workflow KiB (RSS) | x minimal bundle |',
    '|---|---|---|---|---|---|---|---|',
    ...cache.map(
      (c) =>
        `| ${c.variant} | ${c.bundleKiB} | ${c.heapBeforeMiB.toFixed(0)} / ${c.heapAfterMiB.toFixed(0)} | ${c.perWorkflowKiB.toFixed(0)} | ${(c.perWorkflowKiB / minimal).toFixed(2)} | ${c.rssBeforeMiB.toFixed(0)} / ${c.rssAfterMiB.toFixed(0)} | ${c.rssPerWorkflowKiB.toFixed(0)} | ${(c.rssPerWorkflowKiB / minimalRss).toFixed(2)} |`,
    ),
    '',
  ];
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
