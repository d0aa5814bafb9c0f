// Advice in the user's framework: a report from PyTorch logs, from Keras (its logs or a Keras file)
// and from a TF.js model writes its remedies as that framework's code, and a PyTorch report holds
// no TF.js code and no `check --model model.json` skip line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, evidence as makeEvidence } from '../src/checks/fixtures.ts';
import type { Evidence } from '../src/core/evidence.ts';
import type { Report } from '../src/core/report.ts';
import { buildReport } from '../src/registry.ts';
import { faultyEvidence } from '../src/render/testing/fixtures.ts';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';
import { type Fault, type PlantOptions, plantRun } from '../src/tensorboard/testing/planted.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nn-doctor-framework-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function diagnosePlanted(
  style: 'pytorch' | 'keras',
  fault: Fault = 'exploding',
  options: PlantOptions = {},
): Promise<Report> {
  const dir = join(
    tmp,
    `${style}${fault === 'exploding' ? '' : `-${fault}`}${options.sequential ? '-seq' : ''}`,
  );
  plantRun(dir, style, fault, options);
  return (await diagnoseLogdir(dir)).report;
}

const check = (r: Report, id: string) => r.checks.find((c) => c.id === id);
/** What the Logs section says each tag was read as. */
const readAs = (r: Report) => (r.logs?.used ?? []).map((t) => `${t.tag} as ${t.as}`).join('\n');

/** Every sentence a report says to the user: remedies, summaries (skip reasons), details. */
const words = (r: Report) => r.checks.flatMap((c) => [c.summary, c.remedy ?? '', c.details ?? '']).join('\n');
const remedies = (r: Report) => r.checks.flatMap((c) => (c.remedy ? [c.remedy] : [])).join('\n');

const TFJS_CODE =
  /\btf\.(train|layers|clipByGlobalNorm|isNaN|stopGradient)|model\.fit\(x, y, \{|classWeight|kernelInitializer|\b(heNormal|glorotUniform)\b|--model model\.json/;
const KERAS_CODE = /keras\.optimizers\.|clipnorm=|class_weight=|kernel_initializer=/;
const TORCH_CODE = /torch\./;

/** A checkup's evidence with a 20:1 class imbalance (class-balance fails and advises class weights). */
const imbalanced = (framework?: Evidence['framework']): Evidence => ({
  ...makeEvidence({ dataset: dataset({ classCounts: [2000, 100] }) }),
  source: 'tfjs',
  ...(framework ? { framework } : {}),
});

describe('remedies in the framework of the evidence', () => {
  it('PyTorch logs: torch code, PyTorch skip lines, no TF.js code', async () => {
    const report = await diagnosePlanted('pytorch');
    expect(report.evidence.framework).toBe('pytorch');
    expect(report.verdict).toBe('fail');
    expect(remedies(report)).toMatch(/torch\.nn\.utils\.clip_grad_norm_\(model\.parameters\(\), max_norm=/);
    expect(words(report)).not.toMatch(TFJS_CODE);
    expect(words(report)).not.toMatch(KERAS_CODE);
    // Skipped experiments say what a PyTorch user can do, not to run `check` on a model.json.
    const overfit = report.checks.find((c) => c.id === 'inputs/overfit-small');
    expect(overfit?.summary).toMatch(/for PyTorch, run it in your own training script/);
    // Checks a plain SummaryWriter log cannot feed point at the logging helper.
    expect(report.checks.find((c) => c.id === 'other/update-ratio')?.summary).toMatch(
      /nn_doctor_log\.py .*NNDoctorLogger/,
    );
    // The run is named after its folder, not '.'.
    expect(report.logs?.experiment).toBe('pytorch');
    expect(report.logs?.experiments.map((e) => e.name)).toEqual(['pytorch']);
    // The layers keep the names PyTorch gave their parameters' modules.
    expect(report.subject.model?.layers?.map((l) => l.name)).toEqual(['fc1', 'fc2', 'fc3']);
  });

  it("PyTorch logs: parameters named as PyTorch names them, never a layer's 'kernel'", async () => {
    const report = await diagnosePlanted('pytorch', 'variance-skew');
    expect(check(report, 'other/weight-variance')?.status).toBe('fail');
    expect(check(report, 'other/weight-variance')?.summary).toMatch(
      /\(fc1\.weight\) to [\d.]+ \(fc2\.weight\)/,
    );
    expect(check(report, 'other/weight-variance')?.remedy).toMatch(/torch\.nn\.init\.kaiming_normal_\(/);
    expect(check(report, 'model/init-shallow')?.summary).toMatch(/^Worst weight: fc1\.weight,/);
    expect(readAs(report)).toMatch(/fc1\.weight as values of fc1\.weight/);
    expect(readAs(report)).toMatch(/fc2\.bias\.grad as gradient of fc2\.bias/);
    expect(`${words(report)}\n${readAs(report)}`).not.toMatch(/\bkernel/i);
    expect(words(report)).not.toMatch(TFJS_CODE);
  });

  it('PyTorch nn.Sequential: layers and parameters by index (0.weight), remedies in torch code', async () => {
    const report = await diagnosePlanted('pytorch', 'variance-skew', { sequential: true });
    expect(report.subject.model?.layers?.map((l) => l.name)).toEqual(['0', '2', '4']);
    expect(check(report, 'model/init-shallow')?.summary).toMatch(/^Worst weight: 0\.weight,/);
    expect(check(report, 'other/weight-variance')?.summary).toMatch(/\(0\.weight\) to [\d.]+ \(2\.weight\)/);
    expect(readAs(report)).toMatch(/2\.weight as values of 2\.weight/);
    expect(`${words(report)}\n${readAs(report)}`).not.toMatch(/\bkernel/i);
    const exploding = await diagnosePlanted('pytorch', 'exploding', { sequential: true });
    expect(words(exploding)).not.toMatch(TFJS_CODE);
    expect(remedies(exploding)).toMatch(/torch\.nn\.utils\.clip_grad_norm_/);
  });

  it("Keras logs: a layer's kernel, in Keras's names", async () => {
    const report = await diagnosePlanted('keras', 'variance-skew');
    expect(check(report, 'other/weight-variance')?.summary).toMatch(/^Kernel variance .* \(dense_1\)/);
    expect(check(report, 'other/weight-variance')?.remedy).toMatch(/kernel_initializer='he_normal'/);
    expect(check(report, 'model/init-shallow')?.summary).toMatch(/^Worst kernel: dense/);
    expect(readAs(report)).toMatch(/dense\/kernel_0 as values of dense \(kernel\)/);
    expect(words(report)).not.toMatch(TORCH_CODE);
    expect(words(report)).not.toMatch(TFJS_CODE);
  });

  it('Keras logs: Keras code, no TF.js or PyTorch code', async () => {
    const report = await diagnosePlanted('keras');
    expect(report.evidence.framework).toBe('keras');
    expect(remedies(report)).toMatch(/clipnorm=/);
    expect(words(report)).not.toMatch(TFJS_CODE);
    expect(words(report)).not.toMatch(TORCH_CODE);
  });

  it('a Keras file, a TF.js model and PyTorch: class weights each in its own code', () => {
    const remedy = (fw?: Evidence['framework']) =>
      buildReport({ evidence: imbalanced(fw), backend: null }).checks.find(
        (c) => c.id === 'inputs/class-balance',
      )?.remedy ?? '';
    expect(remedy()).toMatch(/model\.fit\(x, y, \{ classWeight: /); // a TF.js model (checkup's default)
    expect(remedy()).not.toMatch(KERAS_CODE);
    expect(remedy('keras')).toMatch(/model\.fit\(x, y, class_weight=\{/);
    expect(remedy('keras')).not.toMatch(TFJS_CODE);
    expect(remedy('pytorch')).toMatch(/torch\.nn\.CrossEntropyLoss\(weight=torch\.tensor\(/);
    expect(remedy('pytorch')).not.toMatch(TFJS_CODE);
  });

  it("a TF.js model, a Keras file and PyTorch: a layer's weights and their initializers each in its own terms", () => {
    // Zero-initialized and oversized kernels (init-shallow, weight-variance fail), one layer without gradient.
    const checks = (fw?: Evidence['framework']) => {
      const r = buildReport({
        evidence: { ...faultyEvidence(), ...(fw ? { framework: fw } : {}) },
        backend: null,
      });
      const byId = (id: string) => r.checks.find((c) => c.id === id);
      return {
        init: byId('model/init-shallow')?.summary ?? '',
        // Weight variance is a symptom of the bad initialization (issue 20, class 3): its remedy
        // defers to init-shallow's, which carries the framework's initializer code.
        variance: `${byId('other/weight-variance')?.summary}\n${byId('other/weight-variance')?.remedy}`,
        initRemedy: byId('model/init-shallow')?.remedy ?? '',
      };
    };
    const tfjs = checks();
    expect(tfjs.init).toMatch(/^The kernel of dense_2 .* of 3 kernels have a problem/);
    expect(tfjs.variance).toMatch(/^Kernel variance .*\(dense_1\)/);
    expect(tfjs.variance).toMatch(/A symptom of model\/init-shallow/);
    expect(tfjs.initRemedy).toMatch(/kernelInitializer/);
    expect(`${tfjs.variance}\n${tfjs.initRemedy}`).not.toMatch(KERAS_CODE);
    const keras = checks('keras');
    expect(keras.init).toMatch(/^The kernel of dense_2 /);
    expect(keras.initRemedy).toMatch(/kernel_initializer=/);
    expect(`${keras.variance}\n${keras.initRemedy}`).not.toMatch(TFJS_CODE);
    const torch = checks('pytorch');
    expect(torch.init).toMatch(/^Weight dense_2\.weight .* of 3 weights have a problem/);
    expect(torch.variance).toMatch(/^Weight variance .*\(dense_1\.weight\)/);
    expect(torch.initRemedy).toMatch(/torch\.nn\.init\./);
    expect(`${torch.init}\n${torch.variance}\n${torch.initRemedy}`).not.toMatch(TFJS_CODE);
    expect(`${torch.init}\n${torch.variance}\n${torch.initRemedy}`).not.toMatch(/\bkernel/i);
  });

  it('the same PyTorch evidence read as a TF.js run is advised in TF.js code', async () => {
    const pytorch = await diagnosePlanted('pytorch');
    const { framework: _, ...rest } = pytorch.evidence;
    const asTfjs = buildReport({ evidence: { ...rest, source: 'tfjs' }, backend: null });
    expect(remedies(asTfjs)).not.toMatch(TORCH_CODE);
    expect(remedies(asTfjs)).toMatch(/optimizer\.applyGradients/);
  });
});
