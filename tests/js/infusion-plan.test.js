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

function ok(raw) {
  const result = InfusionPlan.calculate(raw, label);
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
  { raw: { weight: "80,5", dose: "", days: "4", atRisk: true }, totalG: 161, perDayG: 40.2,
    perDayMl: 402, start: 48.3, ceiling: 144.9 },
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
      const plan = ok({ weight: weight.toFixed(1), days: "3", atRisk });
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
  const plan = ok({ weight: "30", dose: "0.1", days: "5" });
  // 0.6 g a day = 6 mL; the first step (18 mL/h for 30 min) could deliver 9 mL: done in 20 min.
  assert.equal(plan.perDayMl, 6);
  assert.equal(plan.steps[0].reached, true);
  assert.equal(plan.steps[1].reached, false);
  assert.equal(plan.steps.at(-1).reached, false);
  assert.equal(plan.shortestMinutesPerDay, 20);
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
  [{ weight: "70", days: "2", height: "500", sex: "male" }, "height"],
  [{ weight: "70", days: "2", height: "170" }, "sex"],
];

for (const [raw, field] of BAD) {
  test(`bad input ${JSON.stringify(raw)} gives a message for ${field} and no numbers`, () => {
    const result = InfusionPlan.calculate(raw, label);
    assert.equal(result.ok, false);
    assert.equal(result.plan, undefined);
    assert.equal(typeof result.errors[field], "string");
    assert.ok(result.errors[field].length > 10);
  });
}

test("dosing weights: Devine ideal weight and the dose-determining weight", () => {
  const plan = ok({ weight: "100", days: "2", height: "175", sex: "male" });
  // 175 cm = 68.90 in; IBW = 50 + 2.3 x 8.90 = 70.47; DDW = 70.47 + 0.4 x 29.53 = 82.28
  assert.equal(plan.weights.idealKg, 70.4);
  assert.equal(plan.weights.doseDeterminingKg, 82.2);
  assert.equal(plan.weights.actualAboveIdeal, true);
  const female = ok({ weight: "60", days: "2", height: "165", sex: "female" });
  assert.equal(female.weights.idealKg, 56.9); // 165 cm = 64.96 in; 45.5 + 2.3 x 4.96
  assert.equal(ok({ weight: "60", days: "2", height: "150", sex: "female" }).weights, null);
  assert.equal(ok({ weight: "60", days: "2" }).weights, null);
});
