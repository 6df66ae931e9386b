// Node's built-in test runner: `node --test tests/js/`. The label values come from
// data/labels/octagam-10.yml through LABEL_JSON (a file tests/test_calculator.py writes).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const InfusionPlan = require(path.join(__dirname, "..", "..", "docs", "assets", "javascripts",
  "infusion-plan.js"));
assert.ok(process.env.LABEL_JSON, "LABEL_JSON must name the generated label values file");
const label = JSON.parse(fs.readFileSync(process.env.LABEL_JSON, "utf8"));

// Every plan needs height, sex, the dose basis and an answer to the at-risk question; a test
// names only what it changes.
const BASE = { height: "175", sex: "male", doseBasis: "cycle", atRisk: "no", dose: "2" };
function full(raw) {
  const r = Object.assign({}, BASE, raw);
  if (r.atRisk === true) r.atRisk = "yes";
  if (r.atRisk === false) r.atRisk = "no";
  return r;
}

function ok(raw) {
  const result = InfusionPlan.calculate(full(raw), label);
  assert.equal(result.ok, true, JSON.stringify(result.errors));
  return result.plan;
}

// The dosing page's worked example, and neighbours of it.
const CASES = [
  { raw: { weight: "70", dose: "2", days: "2" }, totalG: 140, perDayG: 70, perDayMl: 700,
    start: 42, ceiling: 168 },
  { raw: { weight: "70", dose: "2", days: "2", atRisk: true }, totalG: 140, perDayG: 70,
    perDayMl: 700, start: 42, ceiling: 126 },
  { raw: { weight: "70", dose: "2", days: "5" }, totalG: 140, perDayG: 28, perDayMl: 280,
    start: 42, ceiling: 168 },
  { raw: { weight: "50", dose: "1", days: "2" }, totalG: 50, perDayG: 25, perDayMl: 250,
    start: 30, ceiling: 120 },
  { raw: { weight: "80,5", days: "4", atRisk: true }, totalG: 161, perDayG: 40.2,
    perDayMl: 400, start: 48.3, ceiling: 144.9 },
];

for (const c of CASES) {
  test(`plan for ${JSON.stringify(c.raw)}`, () => {
    const plan = ok(c.raw);
    assert.equal(plan.totalG, c.totalG);
    assert.equal(plan.perDayG, c.perDayG);
    assert.equal(plan.perDayMl, c.perDayMl);
    assert.equal(plan.steps[0].mlPerHour, c.start);
    assert.equal(plan.steps[plan.steps.length - 1].mlPerHour, c.ceiling);
  });
}

test("steps start at the initial rate, hold for the stated interval and stop at the ceiling", () => {
  for (const atRisk of [false, true]) {
    const plan = ok({ weight: "70", days: "2", atRisk });
    const ceiling = atRisk ? label.atRiskMaxMlPerKgMin : label.dmMaxMlPerKgMin;
    assert.equal(plan.steps[0].mlPerKgMin, label.initialMlPerKgMin);
    assert.equal(plan.steps[0].holdMin, label.initialHoldMin);
    assert.equal(plan.steps.at(-1).mlPerKgMin, ceiling);
    assert.equal(plan.steps.at(-1).holdMin, null);
    for (let i = 1; i < plan.steps.length; i += 1) {
      assert.ok(plan.steps[i].mlPerKgMin > plan.steps[i - 1].mlPerKgMin, "rates rise");
      assert.equal(plan.steps[i].startMin - plan.steps[i - 1].startMin,
        i === 1 ? label.initialHoldMin : label.stepIntervalMin);
    }
  }
});

test("no rate is ever above the applicable ceiling, for any weight", () => {
  for (let weight = 30; weight <= 300; weight += 0.7) {
    for (const atRisk of [false, true]) {
      const plan = ok({ weight: weight.toFixed(1), days: "3", atRisk, basis: "actual",
        weightConfirmed: true });
      const ceiling = atRisk ? label.atRiskMaxMlPerKgMin : label.dmMaxMlPerKgMin;
      for (const step of plan.steps) {
        assert.ok(step.mlPerKgMin <= ceiling);
        assert.ok(step.mlPerHour <= Number(weight.toFixed(1)) * ceiling * 60 + 1e-9,
          `${step.mlPerHour} mL/h at ${weight} kg`);
      }
    }
  }
});

test("the at-risk ceiling is never above the DM ceiling", () => {
  assert.ok(label.atRiskMaxMlPerKgMin <= label.dmMaxMlPerKgMin);
  const dm = ok({ weight: "90", days: "2" });
  const risk = ok({ weight: "90", days: "2", atRisk: true });
  assert.ok(risk.steps.at(-1).mlPerHour < dm.steps.at(-1).mlPerHour);
  assert.ok(risk.shortestMinutesPerDay > dm.shortestMinutesPerDay);
});

test("shortest time per day: 700 mL at 70 kg, DM ceiling", () => {
  // 30 min at 42 mL/h (21 mL), 30 min at 84 mL/h (42 mL), then 637 mL at 168 mL/h (227.5 min)
  const plan = ok({ weight: "70", days: "2" });
  assert.equal(plan.shortestMinutesPerDay, 288);
  assert.equal(InfusionPlan.formatMinutes(plan.shortestMinutesPerDay), "4 h 48 min");
});

test("a small daily volume can finish before the ceiling is reached", () => {
  const plan = ok({ weight: "40", dose: "0.1", days: "5", height: "160", sex: "female" });
  // 0.8 g a day, drawn as one 2 g vial? No: the nearest whole-vial amount to 0.8 g is 0 or 2 g;
  // 0.8 is nearer 0, but 0 is no amount, so 2 g = 20 mL. The first step (24 mL/h for 30 min)
  // delivers 12 mL; the rest, 8 mL at 48 mL/h, takes 10 min: 40 min in all.
  assert.equal(plan.vials.drawnG, 2);
  assert.equal(plan.perDayMl, 20);
  assert.equal(plan.steps[0].reached, true);
  assert.equal(plan.steps[1].reached, true);
  assert.equal(plan.steps.at(-1).reached, false);
  assert.equal(plan.steps.at(-1).startMin, null, "no start time on a row that is not reached");
  assert.equal(plan.shortestMinutesPerDay, 40);
});

const BAD = [
  [{ weight: "", days: "2" }, "weight"],
  [{ weight: "0", days: "2" }, "weight"],
  [{ weight: "-70", days: "2" }, "weight"],
  [{ weight: "seventy", days: "2" }, "weight"],
  [{ weight: "70kg", days: "2" }, "weight"],
  [{ weight: "NaN", days: "2" }, "weight"],
  [{ weight: "Infinity", days: "2" }, "weight"],
  [{ weight: "1e3", days: "2" }, "weight"],
  [{ weight: "301", days: "2" }, "weight"],
  [{ weight: "29.9", days: "2" }, "weight"],
  [{ weight: "70", days: "1" }, "days"],
  [{ weight: "70", days: "6" }, "days"],
  [{ weight: "70", days: "2.5" }, "days"],
  [{ weight: "70", days: "" }, "days"],
  [{ weight: "70", dose: "0", days: "2" }, "dose"],
  [{ weight: "70", dose: "-1", days: "2" }, "dose"],
  [{ weight: "70", dose: "2.1", days: "2" }, "dose"],
  [{ weight: "70", dose: "x", days: "2" }, "dose"],
  [{ weight: "70", days: "2", height: "500" }, "height"],
  [{ weight: "70", days: "2", height: "" }, "height"],
  [{ weight: "70", days: "2", sex: "" }, "sex"],
  [{ weight: "70", days: "2", atRisk: "" }, "atRisk"],
  [{ weight: "70", days: "2", doseBasis: "" }, "doseBasis"],
  [{ weight: "70", days: "2", dose: "0.05" }, "dose"],
  [{ weight: "70", days: "2", dose: "1.5", doseBasis: "day" }, "dose"],
];

for (const [raw, field] of BAD) {
  test(`bad input ${JSON.stringify(raw)} gives a message for ${field} and no numbers`, () => {
    const result = InfusionPlan.calculate(full(raw), label);
    assert.equal(result.ok, false);
    assert.equal(result.plan, undefined);
    assert.equal(typeof result.errors[field], "string");
    assert.ok(result.errors[field].length > 10);
  });
}

test("dosing weights: BMI, Devine ideal weight and the adjusted (dose-determining) weight", () => {
  const plan = ok({ weight: "100", days: "2", basis: "adjusted" });
  // 175 cm = 68.90 in; IBW = 50 + 2.3 x 8.90 = 70.47; DDW = 70.47 + 0.4 x 29.53 = 82.28
  assert.equal(plan.weights.idealKg, 70.4);
  assert.equal(plan.weights.adjustedKg, 82.2);
  assert.equal(plan.weights.bmi, 32.6);
  assert.equal(plan.dosingKg, 82.2);
  const female = ok({ weight: "60", days: "2", height: "165", sex: "female" });
  assert.equal(female.weights.idealKg, 56.9); // 165 cm = 64.96 in; 45.5 + 2.3 x 4.96
  assert.equal(female.basis, "actual");
});

// --- the cases: at-risk question, dosing weight, guards, vials, local date -------------

test("no plan until the at-risk question is answered; yes and no give the two ceilings", () => {
  const unanswered = InfusionPlan.calculate(full({ weight: "70", days: "2", atRisk: undefined }), label);
  assert.equal(unanswered.ok, false);
  assert.equal(unanswered.plan, undefined);
  assert.match(unanswered.errors.atRisk, /at-risk question/);
  assert.equal(ok({ weight: "70", days: "2", atRisk: "no" }).steps.at(-1).mlPerHour, 168);
  assert.equal(ok({ weight: "70", days: "2", atRisk: "yes" }).steps.at(-1).mlPerHour, 126);
  assert.equal(ok({ weight: "70", days: "2", atRisk: "yes" }).ceilingMgPerKgMin, 3.0);
  assert.equal(ok({ weight: "70", days: "2", atRisk: "yes" }).labelCeilingMgPerKgMin, 3.3);
});

test("150 kg, 175 cm man: the basis must be chosen; adjusted weight is used when picked", () => {
  const raw = { weight: "150", days: "2", weightConfirmed: true };
  const none = InfusionPlan.calculate(full(raw), label);
  assert.equal(none.ok, false);
  assert.match(none.errors.basis, /BMI 48\.9 is over 30/);
  const adjusted = ok(Object.assign({ basis: "adjusted" }, raw));
  // IBW 70.47; DDW = 70.47 + 0.4 x 79.53 = 102.28, shown 102.2 (rounded down)
  assert.equal(adjusted.dosingKg, 102.2);
  assert.equal(adjusted.totalG, 204.4);
  assert.equal(adjusted.perDayG, 102.2);
  assert.equal(adjusted.vials.drawnG, 102);
  const actual = ok(Object.assign({ basis: "actual" }, raw));
  assert.equal(actual.totalG, 300);
});

test("below the formula's height, adjusted weight is not offered and the reason is given", () => {
  const plan = ok({ weight: "120", days: "2", height: "150", sex: "female", weightConfirmed: true });
  assert.equal(plan.basis, "actual");
  assert.equal(plan.weights.adjustedApplies, false);
  assert.match(plan.weights.exclusion, /Height below 152\.4 cm/);
  const refused = InfusionPlan.calculate(full({ weight: "120", days: "2", height: "150",
    sex: "female", weightConfirmed: true, basis: "adjusted" }), label);
  assert.match(refused.errors.basis, /does not apply/);
});

test("a weight that looks like pounds needs confirmation, with the kg figure shown", () => {
  const result = InfusionPlan.calculate(full({ weight: "154", days: "2" }), label);
  assert.equal(result.ok, false);
  assert.match(result.warnings.weight, /looks like pounds: 154 lb is 69\.8 kg/);
  assert.ok(result.errors.weightConfirmed);
  assert.equal(InfusionPlan.calculate(full({ weight: "70", days: "2" }), label).warnings.weight,
    undefined);
});

test("300 kg is accepted only after confirmation, with the warnings shown", () => {
  const result = InfusionPlan.calculate(full({ weight: "300", days: "2", basis: "actual" }), label);
  assert.equal(result.ok, false);
  assert.match(result.warnings.weight, /outside 40–160 kg/);
  const plan = ok({ weight: "300", days: "2", basis: "actual", weightConfirmed: true });
  assert.equal(plan.largeVolume, true);
  assert.equal(plan.perDayMl, 3000);
});

test("a per-day dose is multiplied by the days; the plan holds both figures", () => {
  const perDay = ok({ weight: "70", days: "5", dose: "0.4", doseBasis: "day" });
  assert.equal(perDay.perCycleGPerKg, 2);
  assert.ok(Math.abs(perDay.perDayGPerKg - 0.4) < 1e-12);
  assert.equal(perDay.perDayG, 28);
  const perCycle = ok({ weight: "70", days: "5", dose: "0.4", doseBasis: "cycle" });
  assert.ok(Math.abs(perCycle.perDayGPerKg - 0.08) < 1e-12);
  assert.equal(perCycle.perDayG, 5.6);
});

test("each day's grams are rounded to whole vials, nearest, halfway down, fewest vials", () => {
  const sizes = label.vialSizesG;
  const v = (g) => InfusionPlan.vials(g, sizes);
  assert.deepEqual(v(70).vials, [{ sizeG: 30, count: 2 }, { sizeG: 10, count: 1 }]);
  assert.equal(v(70).differenceG, 0);
  assert.equal(v(46.67).drawnG, 47);
  assert.equal(v(46.5).drawnG, 46, "halfway rounds down");
  assert.equal(v(5.6).drawnG, 6);
  assert.deepEqual(v(6).vials, [{ sizeG: 2, count: 3 }]);
  assert.equal(v(70.5).drawnG, 70);
  assert.equal(v(70.5).differenceG, -0.5);
  for (let g = 2; g <= 400; g += 0.37) {
    const r = v(g);
    const total = r.vials.reduce((sum, x) => sum + x.sizeG * x.count, 0);
    assert.equal(total, r.drawnG);
    assert.ok(Math.abs(r.drawnG - g) <= 1.5, `${g} g drawn as ${r.drawnG} g`);
  }
  const plan = ok({ weight: "70", days: "3" });
  assert.equal(plan.vials.drawnG, 47);
  assert.equal(plan.perDayMl, 470);
});

test("every reached step has minutes and a volume; the last runs until the day's dose is in", () => {
  const plan = ok({ weight: "70", days: "2" });
  const sum = plan.steps.reduce((s, x) => s + (x.volumeMl || 0), 0);
  assert.ok(Math.abs(sum - plan.perDayMl) <= plan.steps.length, `${sum} vs ${plan.perDayMl}`);
  assert.deepEqual(plan.steps.map((s) => s.minutes), [30, 30, 228]);
  assert.deepEqual(plan.steps.map((s) => s.volumeMl), [21, 42, 637]);
});

test("no float noise: every start time is a whole number or null", () => {
  for (const dose of ["0.1", "0.4", "1", "1.3", "2"]) {
    for (const days of ["2", "3", "4", "5"]) {
      const plan = ok({ weight: "70", days, dose });
      for (const step of plan.steps) {
        assert.ok(step.startMin === null || Number.isInteger(step.startMin), String(step.startMin));
        assert.ok(!/\d{5,}/.test(String(step.mlPerHour)), String(step.mlPerHour));
      }
    }
  }
});

test("the date on a plan is the reader's local date", () => {
  assert.equal(InfusionPlan.localDate(new Date(2026, 11, 6, 0, 30)), "2026-12-06");
  assert.equal(InfusionPlan.localDate(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
});

test("the pooled-bag limit is warned about when a day could pass it; far-off vials are flagged", () => {
  // at risk over 2 days: at least 6 h 4 min, within 2 h of the 8-hour limit after pooling
  assert.equal(ok({ weight: "70", days: "2", atRisk: "yes" }).poolingWarning, true);
  assert.equal(ok({ weight: "70", days: "2", atRisk: "no" }).poolingWarning, false);
  assert.equal(label.poolingHours, 8);
  const tiny = ok({ weight: "40", dose: "0.1", days: "5", height: "160", sex: "female" });
  assert.equal(tiny.vialWarning, true); // 0.8 g a day drawn as 2 g
  assert.equal(ok({ weight: "70", days: "3" }).vialWarning, false);
});
