/**
 * Memory figures of another process, read from /proc (Linux): what an operator's `ps` or the
 * kernel's OOM killer would see, never an estimate.
 */
import { readFile } from "node:fs/promises";

async function statusField(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kb) / 1024;
}

/** Resident set size now, in MB. */
export const rssMb = (pid: number): Promise<number> => statusField(pid, "VmRSS");

/** The highest resident set size the process has ever had (the kernel's high-water mark), in MB. */
export const peakRssMb = (pid: number): Promise<number> => statusField(pid, "VmHWM");
