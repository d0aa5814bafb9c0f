// What installing nn-doctor costs: the tarball, and the installed footprint (a) as a library in a
// project that already has TF.js (the peers), (b) as a global CLI, which brings TF.js itself.
//
//   npx tsx bench/install-size.ts [TARBALL …]
//
// Without arguments it packs this tree (npm pack, which builds dist/). To compare with an older
// version, pack that one and pass both, e.g.
//   git archive 7184043 | tar -x -C /tmp/old && (cd /tmp/old && npm pack --ignore-scripts) &&
//   npx tsx bench/install-size.ts /tmp/old/nn-doctor-0.1.0.tgz
// Installs come from npm's cache when it holds every package (--offline), else the registry.
// Sizes are disk usage (du -sk), MB = 10^6 bytes; packages = folders with a package.json under
// node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const PEERS = ['@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'];

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

function install(args: string[], cwd: string): void {
  try {
    npm(['install', '--offline', ...args], cwd);
  } catch {
    npm(['install', '--prefer-offline', ...args], cwd);
  }
}

const mb = (dir: string) =>
  Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1000;

function packages(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (entry.startsWith('@')) {
      n += packages(path);
      continue;
    }
    if (existsSync(join(path, 'package.json'))) n += 1 + packages(join(path, 'node_modules'));
  }
  return n;
}

function measure(tarball: string, work: string) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').length;
  const lib = join(work, 'library');
  mkdirSync(lib);
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  install(PEERS, lib);
  const peersOnly = { mb: mb(join(lib, 'node_modules')), packages: packages(join(lib, 'node_modules')) };
  install([tarball], lib);
  const withTool = { mb: mb(join(lib, 'node_modules')), packages: packages(join(lib, 'node_modules')) };
  // The same without optional dependencies (@aws-sdk/client-s3, only needed for s3:// logs).
  const lean = join(work, 'library-omit-optional');
  mkdirSync(lean);
  writeFileSync(join(lean, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  install(PEERS, lean);
  const leanPeers = { mb: mb(join(lean, 'node_modules')), packages: packages(join(lean, 'node_modules')) };
  install(['--omit=optional', tarball], lean);
  const leanTool = { mb: mb(join(lean, 'node_modules')), packages: packages(join(lean, 'node_modules')) };
  const prefix = join(work, 'global');
  mkdirSync(join(prefix, 'lib'), { recursive: true });
  install(['-g', '--prefix', prefix, tarball], work);
  const globalModules = join(prefix, 'lib', 'node_modules');
  return {
    tarball: basename(tarball),
    tarballKb: statSync(tarball).size / 1000,
    files,
    libraryAddsMb: withTool.mb - peersOnly.mb,
    libraryAddsPackages: withTool.packages - peersOnly.packages,
    leanAddsMb: leanTool.mb - leanPeers.mb,
    leanAddsPackages: leanTool.packages - leanPeers.packages,
    globalMb: mb(globalModules),
    globalPackages: packages(globalModules),
  };
}

const work = mkdtempSync(join(tmpdir(), 'nn-doctor-size-'));
try {
  let tarballs = process.argv.slice(2);
  if (!tarballs.length) {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
    tarballs = [join(work, packed.filename)];
  }
  const rows = tarballs.map((t, i) => {
    const dir = join(work, `m${i}`);
    mkdirSync(dir);
    return measure(t, dir);
  });
  console.log(`peers of the library case: ${PEERS.join(', ')} (installed first, not counted)`);
  console.table(
    rows.map((r) => ({
      tarball: r.tarball,
      'tarball kB': r.tarballKb.toFixed(1),
      files: r.files,
      'library adds MB': r.libraryAddsMb.toFixed(1),
      'library adds pkgs': r.libraryAddsPackages,
      'library --omit=optional adds MB': r.leanAddsMb.toFixed(1),
      'library --omit=optional adds pkgs': r.leanAddsPackages,
      'global CLI MB': r.globalMb.toFixed(1),
      'global CLI pkgs': r.globalPackages,
    })),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
