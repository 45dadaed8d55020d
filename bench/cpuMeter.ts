/**
 * CPU time spent by this process and by the embedded Temporal server during a benchmark phase. On a machine shared with
 * other work, wall-clock throughput moves with the load; the CPU milliseconds a workflow costs each side move far less,
 * so they show where a change saves work (Linux: the server's time from /proc; elsewhere the server's column is empty).
 */
import { readFileSync } from 'node:fs';

export interface CpuSample {
  processMs: number;
  serverMs: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every Linux configuration in use). */
const USER_HZ = 100;

function serverCpuMs(pid: number | null): number | null {
  if (pid === null || pid <= 0) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

export function sampleCpu(serverPid: number | null): CpuSample {
  const { user, system } = process.cpuUsage();
  return { processMs: (user + system) / 1000, serverMs: serverCpuMs(serverPid) };
}

/** CPU milliseconds per item between two samples: this process, and the server when known. */
export function cpuPerItem(before: CpuSample, after: CpuSample, items: number): { processMs: number; serverMs: number | null } {
  return {
    processMs: (after.processMs - before.processMs) / items,
    serverMs: before.serverMs === null || after.serverMs === null ? null : (after.serverMs - before.serverMs) / items,
  };
}
