/* Infusion plan arithmetic for the calculator on the dosing page. Plain JavaScript, no DOM.
 *
 * Every label number and clinical rule arrives in `label`, generated at build time from
 * data/labels/octagam-10.yml (the dosing page carries it as JSON): nothing here is a label value.
 * Tested with `node --test tests/js/` (see tests/test_calculator.py).
 *
 * One rounding rule, the same as the page text (scripts/guide/sources/labels.py, floor_to): pump rates
 * (to 0.1 mL/h), amounts (0.1 g) and volumes (1 mL) are rounded DOWN, so nothing shown is above
 * a ceiling or a dose; times are rounded UP to the whole minute.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.InfusionPlan = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Input limits and warning thresholds of this calculator: the editors' choices, not label
  // values (the page says so where it shows them). Adults only.
  var LIMITS = {
    weightMinKg: 30,
    weightMaxKg: 300,
    // Outside this range the weight must be confirmed (a visible warning first).
    plausibleMinKg: 40,
    plausibleMaxKg: 160,
    heightMinCm: 120,
    heightMaxCm: 230,
    // Smallest dose per cycle accepted: below it the figure is taken for a typing error.
    doseMinGPerKgCycle: 0.1,
    // A day's volume above this is flagged (editors' threshold) with the option of more days.
    largeDailyMl: 1000,
    // The pooled-bag warning shows when the shortest day leaves less than this before the limit.
    poolingMarginMin: 120,
    // Whole vials more than this far from the calculated daily amount are flagged.
    vialDifferencePercent: 10
  };
  var CM_PER_INCH = 2.54;
  var KG_PER_LB = 0.45359237; // the international pound

  var NUMBER = /^\s*\d+(?:[.,]\d+)?\s*$/;

  function parseNumber(text) {
    if (typeof text === "number") return isFinite(text) ? text : NaN;
    if (typeof text !== "string" || !NUMBER.test(text)) return NaN;
    return Number(text.replace(",", ".").trim());
  }

  function isBlank(text) {
    return text === undefined || text === null || String(text).trim() === "";
  }

  // The one rounding rule (see the header). The epsilon keeps an exact product such as
  // 70 x 0.03 x 60 = 126 from dropping to 125.9 through binary noise.
  function floorTo(value, places) {
    var scale = Math.pow(10, places);
    return Math.floor(value * scale + 1e-9) / scale;
  }

  function ceilMinutes(value) {
    return Math.ceil(value - 1e-9);
  }

  /* mL/h for a weight and a rate in mL/kg/min (the label's formula kg x mL/kg/min x 60), as shown. */
  function mlPerHour(weightKg, mlPerKgMin) {
    return floorTo(weightKg * mlPerKgMin * 60, 1);
  }

  /* Body-mass index, Devine ideal weight and the dose-determining (adjusted) weight. */
  function dosingWeights(values, label) {
    var metres = values.heightCm / 100;
    var bmi = values.weightKg / (metres * metres);
    var result = {
      actualKg: values.weightKg,
      bmi: floorTo(bmi, 1),
      overThreshold: bmi > label.bmiThreshold,
      idealKg: null,
      adjustedKg: null,
      adjustedApplies: false,
      exclusion: ""
    };
    if (values.heightCm < label.minHeightCm) {
      result.exclusion = "Height below " + label.minHeightCm + " cm: the ideal- and adjusted-weight " +
        "formulas are not used, so the dose is on actual weight.";
      return result;
    }
    var inches = values.heightCm / CM_PER_INCH;
    var base = values.sex === "male" ? label.idealMaleKg : label.idealFemaleKg;
    var ideal = base + label.idealKgPerInch * (inches - label.idealFromInches);
    var adjusted = ideal + label.adjustedFactor * (values.weightKg - ideal);
    result.idealKg = floorTo(ideal, 1);
    result.adjustedKg = floorTo(adjusted, 1);
    if (values.weightKg <= adjusted) {
      result.exclusion = "Actual weight is not above the adjusted weight, so the dose is on actual weight.";
      return result;
    }
    result.adjustedApplies = true;
    return result;
  }

  /* Check raw form values. Returns {values, errors, warnings}; errors maps a field to its message. */
  function validate(raw, label) {
    var errors = {};
    var warnings = {};
    var values = { sex: raw.sex || "" };

    if (raw.atRisk === "yes" || raw.atRisk === true) values.atRisk = true;
    else if (raw.atRisk === "no" || raw.atRisk === false) values.atRisk = false;
    else errors.atRisk = "Answer the at-risk question (yes or no): the ceiling depends on it.";

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

    if (isBlank(raw.height)) {
      errors.height = "Enter the patient's height in cm: the dosing weight depends on it.";
    } else {
      var height = parseNumber(raw.height);
      if (isNaN(height) || height < LIMITS.heightMinCm || height > LIMITS.heightMaxCm)
        errors.height = "Height must be a number from " + LIMITS.heightMinCm + " to " +
          LIMITS.heightMaxCm + " cm.";
      else values.heightCm = height;
    }
    if (values.sex !== "female" && values.sex !== "male")
      errors.sex = "Choose the sex the ideal-weight formula uses.";

    // Weight that looks like pounds, or lies outside the usual adult range: confirm first.
    if (values.weightKg !== undefined) {
      var messages = [];
      if (values.heightCm !== undefined) {
        var m2 = Math.pow(values.heightCm / 100, 2);
        var asPounds = values.weightKg * KG_PER_LB;
        if (values.weightKg / m2 > 40 && asPounds / m2 >= 16 && asPounds / m2 <= 40 &&
            asPounds >= LIMITS.weightMinKg)
          messages.push("This weight looks like pounds: " + values.weightKg + " lb is " +
            floorTo(asPounds, 1) + " kg. This calculator takes kilograms only.");
      }
      if (values.weightKg < LIMITS.plausibleMinKg || values.weightKg > LIMITS.plausibleMaxKg)
        messages.push("A weight of " + values.weightKg + " kg is outside " + LIMITS.plausibleMinKg +
          "–" + LIMITS.plausibleMaxKg + " kg (the editors' check range, not a label limit).");
      if (messages.length) {
        warnings.weight = messages.join(" ");
        if (!raw.weightConfirmed)
          errors.weightConfirmed = "Check the weight, then tick the box to confirm it is right and in kg.";
      }
    }

    var dose = isBlank(raw.dose) ? NaN : parseNumber(raw.dose);
    if (isNaN(dose) && /^\s*-/.test(raw.dose)) errors.dose = "Dose must be more than 0 g/kg.";
    else if (isNaN(dose)) errors.dose = "Dose must be a number in g/kg, such as 2.";
    else if (dose <= 0) errors.dose = "Dose must be more than 0 g/kg.";

    var days = isBlank(raw.days) ? NaN : parseNumber(raw.days);
    if (isNaN(days) || days !== Math.floor(days) || days < label.daysMin || days > label.daysMax)
      errors.days = "Days must be a whole number from " + label.daysMin + " to " + label.daysMax +
        ", as the label allows.";
    else values.days = days;

    if (raw.doseBasis !== "cycle" && raw.doseBasis !== "day")
      errors.doseBasis = "Say whether the dose is per cycle or per day.";
    else if (!errors.dose && values.days !== undefined) {
      var perCycle = raw.doseBasis === "day" ? dose * values.days : dose;
      if (perCycle > label.dosePerCycleGPerKg + 1e-9)
        errors.dose = "That is " + floorTo(perCycle, 3) + " g/kg per cycle; the label's dose is " +
          label.dosePerCycleGPerKg + " " + label.doseUnit + " per cycle, and this calculator does not go above it.";
      else if (perCycle < LIMITS.doseMinGPerKgCycle)
        errors.dose = "That is " + floorTo(perCycle, 3) + " g/kg per cycle, below " +
          LIMITS.doseMinGPerKgCycle + " g/kg (the editors' check): check the figure.";
      else {
        values.doseBasis = raw.doseBasis;
        values.perCycleGPerKg = perCycle;
        values.perDayGPerKg = perCycle / values.days;
      }
    }

    // The dosing-weight basis: required above the BMI threshold when adjusted weight applies.
    if (values.weightKg !== undefined && values.heightCm !== undefined && !errors.sex) {
      var weights = dosingWeights(values, label);
      values.weights = weights;
      if (raw.basis === "adjusted" && !weights.adjustedApplies)
        errors.basis = "Adjusted weight does not apply here: " + weights.exclusion;
      else if (raw.basis === "adjusted" || raw.basis === "actual") values.basis = raw.basis;
      else if (weights.overThreshold && weights.adjustedApplies)
        errors.basis = "BMI " + weights.bmi + " is over " + label.bmiThreshold +
          ": choose the dosing weight (actual or adjusted) before a plan is made.";
      else values.basis = "actual";
    }

    return { values: values, errors: errors, warnings: warnings };
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

  /* The amount whole vials make up nearest to `grams` (halfway rounds down), and the fewest
   * vials that make it. Sizes in grams, from the label data. */
  function vials(grams, sizes) {
    var unit = 0.5; // every listed size is a multiple of half a gram
    var scaled = sizes.map(function (s) { return Math.round(s / unit); });
    var largest = Math.max.apply(null, scaled);
    var top = Math.ceil(grams / unit) + largest;
    var best = [0];
    var pick = [0];
    for (var n = 1; n <= top; n += 1) {
      best[n] = Infinity;
      for (var i = 0; i < scaled.length; i += 1) {
        if (scaled[i] <= n && best[n - scaled[i]] + 1 < best[n]) {
          best[n] = best[n - scaled[i]] + 1;
          pick[n] = scaled[i];
        }
      }
    }
    var chosen = null;
    for (var m = 1; m <= top; m += 1) {
      if (best[m] === Infinity) continue;
      var diff = Math.abs(m * unit - grams);
      var current = chosen === null ? Infinity : Math.abs(chosen * unit - grams);
      if (diff < current - 1e-9) chosen = m;
    }
    var counts = {};
    for (var k = chosen; k > 0; k -= pick[k]) counts[pick[k] * unit] = (counts[pick[k] * unit] || 0) + 1;
    var list = Object.keys(counts).map(Number).sort(function (a, b) { return b - a; })
      .map(function (size) { return { sizeG: size, count: counts[size] }; });
    var drawn = chosen * unit;
    return {
      drawnG: drawn,
      vials: list,
      differenceG: floorTo(Math.abs(drawn - grams), 1) * (drawn < grams ? -1 : 1),
      differencePercent: floorTo(Math.abs(drawn - grams) / grams * 100, 1) * (drawn < grams ? -1 : 1)
    };
  }

  /* The plan for valid values: totals, per-day amounts, vials, the step table and the time. */
  function plan(values, label) {
    var mlPerGram = 1000 / label.concentrationMgPerMl;
    var ceiling = values.atRisk ? label.atRiskMaxMlPerKgMin : label.dmMaxMlPerKgMin;
    var weights = values.weights;
    var dosingKg = values.basis === "adjusted" ? weights.adjustedKg : values.weightKg;
    var totalG = dosingKg * values.perCycleGPerKg;
    var perDayG = totalG / values.days;
    var vial = vials(perDayG, label.vialSizesG);
    var perDayMl = vial.drawnG * mlPerGram; // the volume infused is what the vials hold

    var rates = rateSteps(label, ceiling);
    var steps = [];
    var remaining = perDayMl;
    var minutes = 0;
    for (var i = 0; i < rates.length; i += 1) {
      var last = i === rates.length - 1;
      var hold = i === 0 ? label.initialHoldMin : label.stepIntervalMin;
      var exactMlPerHour = dosingKg * rates[i] * 60;
      var reached = remaining > 1e-9;
      var step = {
        startMin: reached ? Math.round(minutes) : null,
        mlPerKgMin: rates[i],
        mgPerKgMin: floorTo(rates[i] * label.concentrationMgPerMl, 1),
        mlPerHour: mlPerHour(dosingKg, rates[i]),
        holdMin: last ? null : hold,
        last: last,
        reached: reached,
        minutes: null,
        volumeMl: null
      };
      steps.push(step);
      if (!reached) continue;
      var deliverable = last ? Infinity : exactMlPerHour * hold / 60;
      if (deliverable >= remaining - 1e-9) {
        var needed = remaining / exactMlPerHour * 60;
        step.minutes = ceilMinutes(needed);
        step.volumeMl = floorTo(remaining, 0);
        step.finishes = true;
        minutes += needed;
        remaining = 0;
      } else {
        step.minutes = hold;
        step.volumeMl = floorTo(deliverable, 0);
        minutes += hold;
        remaining -= deliverable;
      }
    }
    var shortest = ceilMinutes(minutes);

    return {
      atRisk: values.atRisk,
      ceilingMlPerKgMin: ceiling,
      ceilingMgPerKgMin: floorTo(ceiling * label.concentrationMgPerMl, 1),
      labelCeilingMgPerKgMin: values.atRisk ? label.atRiskMaxMgPerKgMin : label.dmMaxMgPerKgMin,
      weights: weights,
      basis: values.basis,
      dosingKg: dosingKg,
      perCycleGPerKg: values.perCycleGPerKg,
      perDayGPerKg: values.perDayGPerKg,
      totalG: floorTo(totalG, 1),
      totalMl: floorTo(totalG * mlPerGram, 0),
      perDayG: floorTo(perDayG, 1),
      vials: vial,
      perDayMl: floorTo(perDayMl, 0),
      steps: steps,
      // Rounded up: the infusion cannot be shorter than this.
      shortestMinutesPerDay: shortest,
      largeVolume: perDayMl > LIMITS.largeDailyMl,
      // Whole vials far from the calculated amount (editors' threshold): said beside the vials.
      vialWarning: Math.abs(vial.differencePercent) > LIMITS.vialDifferencePercent,
      poolingWarning: shortest > label.poolingHours * 60 - LIMITS.poolingMarginMin
    };
  }

  /* One call for the page: validate, then plan only when every field is valid. */
  function calculate(raw, label) {
    var checked = validate(raw, label);
    if (Object.keys(checked.errors).length)
      return { ok: false, errors: checked.errors, warnings: checked.warnings, values: checked.values };
    return { ok: true, values: checked.values, warnings: checked.warnings,
      plan: plan(checked.values, label) };
  }

  function formatMinutes(total) {
    var hours = Math.floor(total / 60);
    var minutes = total % 60;
    return hours ? hours + " h " + minutes + " min" : minutes + " min";
  }

  /* The reader's local date as YYYY-MM-DD (not UTC, which is a day off in some time zones). */
  function localDate(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  return {
    LIMITS: LIMITS,
    validate: validate,
    plan: plan,
    calculate: calculate,
    rateSteps: rateSteps,
    dosingWeights: dosingWeights,
    vials: vials,
    mlPerHour: mlPerHour,
    floorTo: floorTo,
    formatMinutes: formatMinutes,
    localDate: localDate
  };
});
