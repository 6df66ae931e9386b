/* Infusion plan arithmetic for the calculator on the dosing page. Plain JavaScript, no DOM.
 *
 * Every label number arrives in `label`, generated at build time from
 * data/labels/octagam-10.yml (the dosing page carries it as JSON): nothing here is a label value.
 * Tested with `node --test tests/js/` (see tests/test_calculator.py).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.InfusionPlan = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Input limits of this calculator (not label values): adults only.
  var LIMITS = {
    weightMinKg: 30,
    weightMaxKg: 300,
    heightMinCm: 120,
    heightMaxCm: 230,
    // The Devine formula starts at 60 inches; below it the dosing-weight formula is not used.
    devineMinCm: 152.4
  };
  var CM_PER_INCH = 2.54;

  var NUMBER = /^\s*\d+(?:[.,]\d+)?\s*$/;

  function parseNumber(text) {
    if (typeof text === "number") return isFinite(text) ? text : NaN;
    if (typeof text !== "string" || !NUMBER.test(text)) return NaN;
    return Number(text.replace(",", ".").trim());
  }

  function isBlank(text) {
    return text === undefined || text === null || String(text).trim() === "";
  }

  /* Check raw form values. Returns {values, errors}; errors maps a field to its message. */
  function validate(raw, label) {
    var errors = {};
    var values = { atRisk: Boolean(raw.atRisk), sex: raw.sex || "" };

    if (isBlank(raw.weight)) {
      errors.weight = "Enter the patient's weight in kg.";
    } else {
      var weight = parseNumber(raw.weight);
      if (isNaN(weight) && /^\s*-/.test(raw.weight)) errors.weight = "Weight must be more than 0 kg.";
      else if (isNaN(weight)) errors.weight = "Weight must be a number in kg, such as 70 or 70.5.";
      else if (weight <= 0) errors.weight = "Weight must be more than 0 kg.";
      else if (weight < LIMITS.weightMinKg || weight > LIMITS.weightMaxKg)
        errors.weight = "This calculator is for adults: enter a weight from " + LIMITS.weightMinKg +
          " to " + LIMITS.weightMaxKg + " kg.";
      else values.weightKg = weight;
    }

    var dose = isBlank(raw.dose) ? label.dosePerCycleGPerKg : parseNumber(raw.dose);
    if (isNaN(dose) && /^\s*-/.test(raw.dose)) errors.dose = "Dose must be more than 0 g/kg.";
    else if (isNaN(dose)) errors.dose = "Dose must be a number in g/kg, such as 2.";
    else if (dose <= 0) errors.dose = "Dose must be more than 0 g/kg.";
    else if (dose > label.dosePerCycleGPerKg)
      errors.dose = "The label's dose is " + label.dosePerCycleGPerKg +
        " g/kg per cycle; this calculator does not go above it.";
    else values.doseGPerKg = dose;

    var days = isBlank(raw.days) ? NaN : parseNumber(raw.days);
    if (isNaN(days) || days !== Math.floor(days) || days < label.daysMin || days > label.daysMax)
      errors.days = "Days must be a whole number from " + label.daysMin + " to " + label.daysMax +
        ", as the label allows.";
    else values.days = days;

    if (!isBlank(raw.height)) {
      var height = parseNumber(raw.height);
      if (isNaN(height) || height < LIMITS.heightMinCm || height > LIMITS.heightMaxCm)
        errors.height = "Height must be a number from " + LIMITS.heightMinCm + " to " +
          LIMITS.heightMaxCm + " cm, or left empty.";
      else values.heightCm = height;
    }
    if (values.heightCm !== undefined && values.sex !== "female" && values.sex !== "male")
      errors.sex = "Choose the sex the ideal-weight formula uses, or leave height empty.";

    return { values: values, errors: errors };
  }

  // Rates and volumes are rounded down, so nothing shown is ever above a ceiling.
  function floorTo(value, places) {
    var scale = Math.pow(10, places);
    return Math.floor(value * scale + 1e-9) / scale;
  }

  /* The rate steps from the initial rate to the ceiling, in mL/kg/min. */
  function rateSteps(label, ceiling) {
    var steps = [];
    var rate = label.initialMlPerKgMin;
    while (rate < ceiling - 1e-12) {
      steps.push(rate);
      rate = Math.min(floorTo(rate * label.stepFactor, 6), ceiling);
    }
    steps.push(ceiling);
    return steps;
  }

  /* Devine ideal body weight and the dose-determining weight IBW + 0.4 x (actual - IBW). */
  function dosingWeights(values) {
    if (values.heightCm === undefined || values.heightCm < LIMITS.devineMinCm) return null;
    var inches = values.heightCm / CM_PER_INCH;
    var base = values.sex === "male" ? 50 : 45.5;
    var ideal = base + 2.3 * (inches - 60);
    var doseDetermining = ideal + 0.4 * (values.weightKg - ideal);
    return {
      idealKg: floorTo(ideal, 1),
      doseDeterminingKg: floorTo(doseDetermining, 1),
      actualAboveIdeal: values.weightKg > ideal
    };
  }

  /* The plan for valid values: totals, per-day amounts, the step table and the shortest time. */
  function plan(values, label) {
    var mlPerGram = 1000 / label.concentrationMgPerMl;
    var ceiling = values.atRisk ? label.atRiskMaxMlPerKgMin : label.dmMaxMlPerKgMin;
    var totalG = values.weightKg * values.doseGPerKg;
    var perDayG = totalG / values.days;
    var perDayMl = perDayG * mlPerGram;

    var rates = rateSteps(label, ceiling);
    var steps = [];
    var remaining = perDayMl;
    var minutes = 0;
    for (var i = 0; i < rates.length; i += 1) {
      var last = i === rates.length - 1;
      var hold = i === 0 ? label.initialHoldMin : label.stepIntervalMin;
      var exactMlPerHour = values.weightKg * rates[i] * 60;
      var step = {
        startMin: minutes,
        mlPerKgMin: rates[i],
        mgPerKgMin: floorTo(rates[i] * label.concentrationMgPerMl, 1),
        mlPerHour: floorTo(exactMlPerHour, 1),
        holdMin: last ? null : hold,
        reached: remaining > 0
      };
      steps.push(step);
      if (remaining <= 0) continue;
      var deliverable = last ? Infinity : exactMlPerHour * hold / 60;
      if (deliverable >= remaining) {
        minutes += remaining / exactMlPerHour * 60;
        remaining = 0;
      } else {
        minutes += hold;
        remaining -= deliverable;
      }
    }

    return {
      atRisk: values.atRisk,
      ceilingMlPerKgMin: ceiling,
      ceilingMgPerKgMin: values.atRisk ? label.atRiskMaxMgPerKgMin : label.dmMaxMgPerKgMin,
      totalG: floorTo(totalG, 1),
      totalMl: floorTo(totalG * mlPerGram, 0),
      perDayG: floorTo(perDayG, 1),
      perDayMl: floorTo(perDayMl, 0),
      steps: steps,
      // Rounded up: the infusion cannot be shorter than this.
      shortestMinutesPerDay: Math.ceil(minutes - 1e-9),
      weights: dosingWeights(values)
    };
  }

  /* One call for the page: validate, then plan only when every field is valid. */
  function calculate(raw, label) {
    var checked = validate(raw, label);
    if (Object.keys(checked.errors).length) return { ok: false, errors: checked.errors };
    return { ok: true, values: checked.values, plan: plan(checked.values, label) };
  }

  function formatMinutes(total) {
    var hours = Math.floor(total / 60);
    var minutes = total % 60;
    return hours ? hours + " h " + minutes + " min" : minutes + " min";
  }

  return {
    LIMITS: LIMITS,
    validate: validate,
    plan: plan,
    calculate: calculate,
    rateSteps: rateSteps,
    dosingWeights: dosingWeights,
    formatMinutes: formatMinutes
  };
});
