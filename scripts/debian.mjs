// Debian packages the notebooks need: Jupyter (to execute and open notebooks) and Chromium (to
// export figures). Node built-ins only: bootstrap.mjs imports this before anything is installed.
//
// ensureDebian() installs what is missing when running as root (apt-get update only when apt has
// no candidate for a missing package), saying what it installs; otherwise it prints the exact
// command and reports what is unavailable so the caller can skip that part clearly.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** What each capability needs. Versions tested: Debian 12 notebook 6.4.12, nbconvert 6.5.3, nbclient 0.7.2, chromium 156. */
export const DEBIAN_NEEDS = {
  jupyter: ["jupyter-notebook", "jupyter-nbconvert", "python3-nbclient"],
  // fonts-liberation is only a Recommends of chromium; without it exported charts have no Sans font.
  chromium: ["chromium", "fonts-liberation"],
};

function isInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "install ok installed";
}

function hasCandidate(pkg) {
  const r = spawnSync("apt-cache", ["policy", pkg], { encoding: "utf8" });
  const m = /Candidate:\s*(\S+)/.exec(r.stdout ?? "");
  return r.status === 0 && m !== null && m[1] !== "(none)";
}

function installCommand(pkgs) {
  return `apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
}

/**
 * Makes sure the Debian packages for `caps` (keys of DEBIAN_NEEDS) are installed.
 * Returns { jupyter: boolean, chromium: boolean } — whether each capability is usable now.
 */
export function ensureDebian(caps, say) {
  const result = {};
  const missing = [];
  const haveDpkg = spawnSync("dpkg-query", ["--version"]).status === 0;
  for (const cap of caps) {
    const pkgs = DEBIAN_NEEDS[cap];
    const absent = haveDpkg ? pkgs.filter((p) => !isInstalled(p)) : pkgs;
    result[cap] = absent.length === 0;
    missing.push(...absent);
  }
  if (missing.length === 0) return result;

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const canApt = haveDpkg && existsSync("/usr/bin/apt-get");
  if (!isRoot || !canApt) {
    say(`missing Debian packages: ${missing.join(" ")}`);
    say(canApt
      ? `install them with: sudo ${installCommand(missing)}`
      : `this is not a Debian system with apt-get; install the equivalents of: ${missing.join(" ")}`);
    return result;
  }

  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!missing.every(hasCandidate)) {
    say("apt has no candidate for some packages: refreshing the package lists (apt-get update)");
    const u = spawnSync("apt-get", ["update", "-q"], { stdio: ["ignore", "ignore", "inherit"], env });
    if (u.status !== 0) say(`apt-get update failed (exit ${u.status}); trying the install anyway`);
  }
  say(`installing Debian packages (apt-get, needed by the notebooks): ${missing.join(" ")}`);
  const r = spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  if (r.status !== 0) {
    say(`'${installCommand(missing)}' failed with exit code ${r.status}`);
  }
  for (const cap of caps) result[cap] = DEBIAN_NEEDS[cap].every(isInstalled);
  return result;
}
