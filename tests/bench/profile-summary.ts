/**
 * `--profile` of the benchmarks: where a V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` and the
 * inspector's Profiler write it) spent its time, as a short table of the hottest frames.
 *
 * Self time per function (the time the function itself ran, not its callees), summed over every
 * node of the profile that is the same function at the same place. Frames are grouped by where their
 * code lives, so the summary can say how much of the process was Session Lab's own code and which of
 * its functions cost most: that is the list to work down, not a guess.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives. */
/** `other`: the benchmark's own code. */
export type Origin = 'sessionlab' | 'dependency' | 'node' | 'v8' | 'idle' | 'gc' | 'other';

export interface Frame {
  name: string;
  /** `file:line` (1-based), relative to the project for its own code. */
  where: string;
  origin: Origin;
  selfMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  byOrigin: Record<Origin, number>;
  /** Hottest first. */
  frames: Frame[];
}

function originOf(frame: CallFrame): Origin {
  const { url, functionName } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'v8'; // native code V8 cannot attribute to a function
  if (functionName === '(garbage collector)') return 'gc';
  if (url.includes('/src/session/')) return 'sessionlab';
  if (url.includes('/node_modules/')) return 'dependency';
  if (url.startsWith('node:')) return 'node';
  if (url === '') return 'v8';
  return 'other';
}

function whereOf(frame: CallFrame): string {
  const url = frame.url;
  const project = url.indexOf('/src/session/');
  const modules = url.lastIndexOf('/node_modules/');
  const short = project >= 0 ? url.slice(project + 1) : modules >= 0 ? url.slice(modules + '/node_modules/'.length) : url || '(native)';
  return frame.lineNumber >= 0 && url ? `${short}:${frame.lineNumber + 1}` : short;
}

/** Reads a `.cpuprofile` and sums self time per function. */
export async function summarizeProfile(path: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  // timeDeltas[i] is the time from the previous sample to sample i: the time sample i-1's frame ran.
  for (let i = 1; i < profile.samples.length; i++) {
    const id = profile.samples[i - 1]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + profile.timeDeltas[i]!);
  }
  const frames = new Map<string, Frame>();
  const byOrigin: Record<Origin, number> = { sessionlab: 0, dependency: 0, node: 0, v8: 0, idle: 0, gc: 0, other: 0 };
  let totalMs = 0;
  for (const [id, micros] of selfMicros) {
    const node = nodes.get(id);
    if (!node) continue;
    const ms = micros / 1000;
    const origin = originOf(node.callFrame);
    const name = node.callFrame.functionName || '(anonymous)';
    const where = whereOf(node.callFrame);
    const key = `${name}@${where}`;
    const frame = frames.get(key) ?? { name, where, origin, selfMs: 0 };
    frame.selfMs += ms;
    frames.set(key, frame);
    byOrigin[origin] += ms;
    totalMs += ms;
  }
  return { totalMs, byOrigin, frames: [...frames.values()].sort((a, b) => b.selfMs - a.selfMs) };
}

/** A few lines for the console: the split by origin, then the hottest frames of Session Lab's own code. */
export function formatSummary(path: string, summary: ProfileSummary, top = 8): string {
  const busy = summary.totalMs - summary.byOrigin.idle;
  const pct = (ms: number): string => `${((100 * ms) / (busy || 1)).toFixed(1)}%`;
  const lines = [
    `${basename(path)}: ${busy.toFixed(0)} ms busy — Session Lab ${pct(summary.byOrigin.sessionlab)}, dependencies ${pct(summary.byOrigin.dependency)}, ` +
      `Node ${pct(summary.byOrigin.node)}, V8/native ${pct(summary.byOrigin.v8)}, GC ${pct(summary.byOrigin.gc)}`,
  ];
  const own = summary.frames.filter((frame) => frame.origin === 'sessionlab').slice(0, top);
  for (const frame of own) lines.push(`    ${pct(frame.selfMs).padStart(6)}  ${frame.name}  (${frame.where})`);
  if (own.length === 0) lines.push('    (no Session Lab frames)');
  return lines.join('\n');
}
