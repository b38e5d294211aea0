/**
 * Who holds a lock: enough to tell, from another process, whether the holder is still alive.
 *
 * @module
 */
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** The identity of a process as recorded in a lock row. */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /**
   * The PID namespace (`pid:[4026531836]` on Linux), or `null` where it cannot be read. Two
   * containers can share a hostname and a database file on a volume while numbering their
   * processes independently; a PID is only meaningful within its namespace.
   */
  pidNamespace: string | null;
}

function readPidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** This process. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, hostname: hostname(), pidNamespace: readPidNamespace() };
}

/**
 * Whether `holder` is provably dead: it ran on this host, in this PID namespace, and no process
 * with its PID exists any more. Anything we cannot check (another host, another namespace, no
 * permission to signal) counts as alive, and only the lease can free its lock.
 */
export function isDeadLocalProcess(holder: ProcessIdentity, self: ProcessIdentity): boolean {
  if (holder.hostname !== self.hostname || holder.pidNamespace !== self.pidNamespace) return false;
  if (holder.pid === self.pid) return false;
  try {
    // Signal 0 checks existence without delivering anything.
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
