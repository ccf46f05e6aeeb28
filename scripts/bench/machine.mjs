// The machine a `make bench` run measured on, for target/bench/machine.json and the README:
// CPU model, cores, memory, OS, and how busy it was when the run began (numbers from a shared
// machine are not comparable with a quiet one's).
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
import os from "node:os";

const read = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};
const cpuinfo = read("/proc/cpuinfo");
const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? "unknown";
const osRelease = (read("/etc/os-release").match(/^PRETTY_NAME="?([^"\n]+)"?$/m) ?? [])[1] ?? `${os.type()} ${os.release()}`;
const git = (cmd) => {
  try {
    return execSync(cmd, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
};
console.log(
  JSON.stringify({
    name: "machine",
    date: new Date().toISOString(),
    cpu_model: model.trim(),
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osRelease,
    kernel: os.release(),
    load_average_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit: git("git rev-parse --short HEAD"),
    dirty: git("git status --porcelain") ? true : false,
  }),
);
